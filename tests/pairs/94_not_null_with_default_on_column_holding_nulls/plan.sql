-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" ALTER COLUMN "status" SET DEFAULT 'new'::text;

-- strata: rows where the column is NULL get its default before NOT NULL is set
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; updates those rows
UPDATE "public"."t" SET "status" = DEFAULT WHERE "status" IS NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."t" ALTER COLUMN "status" SET NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."t" ALTER COLUMN "n" SET NOT NULL;
