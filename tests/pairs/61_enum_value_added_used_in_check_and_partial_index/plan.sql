ALTER TYPE "public"."job_status" RENAME TO "job_status__strata_old";

CREATE TYPE "public"."job_status" AS ENUM ('pending', 'running', 'done', 'failed');

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; rewrites the table
ALTER TABLE "public"."jobs" ALTER COLUMN "status" TYPE "public"."job_status" USING "status"::text::"public"."job_status";

-- strata: the old type, now unused
DROP TYPE "public"."job_status__strata_old";

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."jobs" ADD CONSTRAINT "jobs_check" CHECK (((status <> ALL (ARRAY['done'::public.job_status, 'failed'::public.job_status])) OR (finished_at IS NOT NULL)));

-- strata: SHARE lock on "public"."jobs" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "jobs_failed" ON "public"."jobs" USING btree (id) WHERE (status = 'failed'::public.job_status);
