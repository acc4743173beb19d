-- strata: ACCESS EXCLUSIVE lock on "public"."a"; brief
ALTER TABLE "public"."a" DROP CONSTRAINT "a_pkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."b"; brief
ALTER TABLE "public"."b" DROP CONSTRAINT "b_pkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."a"; brief
ALTER TABLE "public"."a" ALTER COLUMN "id" DROP NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."b"; brief
ALTER TABLE "public"."b" ALTER COLUMN "old_id" DROP NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."b"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."b" ALTER COLUMN "new_id" SET NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."b" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."b" ADD CONSTRAINT "b_pkey" PRIMARY KEY (new_id);
