-- strata: ACCESS EXCLUSIVE lock on "public"."t"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."t" ALTER COLUMN "a" SET NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" ALTER COLUMN "b" DROP NOT NULL;
