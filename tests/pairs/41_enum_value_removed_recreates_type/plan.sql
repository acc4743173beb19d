-- DESTRUCTIVE: removes value(s) "obsolete" from enum job_status: rows holding them make the conversion fail
ALTER TYPE "public"."job_status" RENAME TO "job_status__strata_old";

CREATE TYPE "public"."job_status" AS ENUM ('pending', 'running', 'done');

ALTER TABLE "public"."jobs" ALTER COLUMN "status" DROP DEFAULT;

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; rewrites the table
ALTER TABLE "public"."jobs" ALTER COLUMN "status" TYPE "public"."job_status" USING "status"::text::"public"."job_status";

ALTER TABLE "public"."jobs" ALTER COLUMN "status" SET DEFAULT 'pending'::public.job_status;

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; rewrites the table
ALTER TABLE "public"."jobs" ALTER COLUMN "history" TYPE "public"."job_status"[] USING "history"::text[]::"public"."job_status"[];

-- strata: the old type, now unused
DROP TYPE "public"."job_status__strata_old";
