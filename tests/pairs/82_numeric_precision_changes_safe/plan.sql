-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (no rewrite needed)
ALTER TABLE "public"."t" ALTER COLUMN "a" TYPE numeric(14,2) USING "a"::numeric(14,2);

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" ALTER COLUMN "b" DROP DEFAULT;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "b" TYPE numeric(12,4) USING "b"::numeric(12,4);

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" ALTER COLUMN "b" SET DEFAULT 0;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (no rewrite needed)
ALTER TABLE "public"."t" ALTER COLUMN "c" TYPE numeric USING "c"::numeric;
