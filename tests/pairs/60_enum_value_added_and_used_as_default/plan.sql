ALTER TYPE "public"."job_status" RENAME TO "job_status__strata_old";

CREATE TYPE "public"."job_status" AS ENUM ('queued', 'pending', 'running', 'done');

ALTER TABLE "public"."jobs" ALTER COLUMN "status" DROP DEFAULT;

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; rewrites the table
ALTER TABLE "public"."jobs" ALTER COLUMN "status" TYPE "public"."job_status" USING "status"::text::"public"."job_status";

ALTER TABLE "public"."jobs" ALTER COLUMN "status" SET DEFAULT 'queued'::public.job_status;

-- strata: the old type, now unused
DROP TYPE "public"."job_status__strata_old";

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; brief
ALTER TABLE "public"."jobs" ALTER COLUMN "status" DROP DEFAULT;

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; brief
ALTER TABLE "public"."jobs" ALTER COLUMN "status" SET DEFAULT 'queued'::public.job_status;
