-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; brief
ALTER TABLE "public"."jobs" DROP CONSTRAINT "jobs_status_sane";

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."jobs_pending";

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; brief
ALTER TABLE "public"."jobs" DROP CONSTRAINT "jobs_known";

-- DESTRUCTIVE: removes value(s) "obsolete" from enum job_status: rows holding them make the conversion fail
ALTER TYPE "public"."job_status" RENAME TO "job_status__strata_old";

CREATE TYPE "public"."job_status" AS ENUM ('pending', 'running', 'done');

ALTER TABLE "public"."jobs" ALTER COLUMN "status" DROP DEFAULT;

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; rewrites the table
ALTER TABLE "public"."jobs" ALTER COLUMN "status" TYPE "public"."job_status" USING "status"::text::"public"."job_status";

ALTER TABLE "public"."jobs" ALTER COLUMN "status" SET DEFAULT 'pending'::public.job_status;

-- strata: the old type, now unused
DROP TYPE "public"."job_status__strata_old";

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."jobs" ADD CONSTRAINT "jobs_status_sane" CHECK (((status <> 'done'::public.job_status) OR (id > 0)));

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."jobs" ADD CONSTRAINT "jobs_known" CHECK ((status = ANY (ARRAY['pending'::public.job_status, 'running'::public.job_status, 'done'::public.job_status])));

-- strata: SHARE lock on "public"."jobs" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "jobs_pending" ON "public"."jobs" USING btree (id) WHERE (status = 'pending'::public.job_status);
