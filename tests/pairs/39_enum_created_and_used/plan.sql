CREATE TYPE "public"."job_status" AS ENUM ('pending', 'running', 'done');

-- DESTRUCTIVE: changes jobs.status from text to public.job_status: a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."jobs" ALTER COLUMN "status" TYPE public.job_status USING "status"::public.job_status;

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; brief
ALTER TABLE "public"."jobs" ALTER COLUMN "status" SET DEFAULT 'pending'::public.job_status;

-- strata: rows where the column is NULL get its default before NOT NULL is set
-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; updates those rows
UPDATE "public"."jobs" SET "status" = DEFAULT WHERE "status" IS NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."jobs" ALTER COLUMN "status" SET NOT NULL;
