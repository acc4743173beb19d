-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."old_jobs", brief; code using the old name breaks
ALTER TABLE "public"."old_jobs" RENAME TO "jobs";

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."jobs_active";

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."old_jobs_state_idx";

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; brief
ALTER TABLE "public"."jobs" RENAME CONSTRAINT "old_jobs_pkey" TO "jobs_pkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; brief
ALTER TABLE "public"."jobs" RENAME CONSTRAINT "old_jobs_id_not_null" TO "jobs_id_not_null";

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; brief
ALTER TABLE "public"."jobs" RENAME CONSTRAINT "old_jobs_state_not_null" TO "jobs_state_not_null";

-- DESTRUCTIVE: removes value(s) "paused" from enum state: rows holding them make the conversion fail
ALTER TYPE "public"."state" RENAME TO "state__strata_old";

CREATE TYPE "public"."state" AS ENUM ('active', 'gone');

ALTER TABLE "public"."jobs" ALTER COLUMN "state" DROP DEFAULT;

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; rewrites the table
ALTER TABLE "public"."jobs" ALTER COLUMN "state" TYPE "public"."state" USING "state"::text::"public"."state";

ALTER TABLE "public"."jobs" ALTER COLUMN "state" SET DEFAULT 'active'::public.state;

-- strata: the old type, now unused
DROP TYPE "public"."state__strata_old";

-- strata: SHARE lock on "public"."jobs" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "jobs_active" ON "public"."jobs" USING btree (id) WHERE (state = 'active'::public.state);

-- strata: SHARE lock on "public"."jobs" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "jobs_state_idx" ON "public"."jobs" USING btree (state) WHERE (state <> 'gone'::public.state);
