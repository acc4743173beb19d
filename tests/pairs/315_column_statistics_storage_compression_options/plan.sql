-- strata: ACCESS EXCLUSIVE lock on "public"."documents"; column storage
-- strata: the new storage applies to values written from now on; existing values stay as they are until rewritten
ALTER TABLE "public"."documents" ALTER COLUMN "body" SET STORAGE EXTERNAL;

-- strata: ACCESS EXCLUSIVE lock on "public"."documents"; column compression
-- strata: the new compression applies to values written from now on; existing values keep their old compression
ALTER TABLE "public"."documents" ALTER COLUMN "body" SET COMPRESSION pglz;

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."documents"; column statistics target
ALTER TABLE "public"."documents" ALTER COLUMN "payload" SET STATISTICS 0;

-- strata: ACCESS EXCLUSIVE lock on "public"."documents"; column storage
-- strata: the new storage applies to values written from now on; existing values stay as they are until rewritten
ALTER TABLE "public"."documents" ALTER COLUMN "payload" SET STORAGE MAIN;

-- strata: ACCESS EXCLUSIVE lock on "public"."documents"; column compression
-- strata: the new compression applies to values written from now on; existing values keep their old compression
ALTER TABLE "public"."documents" ALTER COLUMN "payload" SET COMPRESSION pglz;

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."documents"; column statistics target
ALTER TABLE "public"."documents" ALTER COLUMN "tenant" SET STATISTICS 1000;

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."documents"; column attribute options
ALTER TABLE "public"."documents" ALTER COLUMN "tenant" SET ("n_distinct" = -0.05, "n_distinct_inherited" = 500);

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."documents"; column statistics target
ALTER TABLE "public"."documents" ALTER COLUMN "Odd ""Name""" SET STATISTICS 10000;

-- strata: ACCESS EXCLUSIVE lock on "public"."documents"; column storage
-- strata: the new storage applies to values written from now on; existing values stay as they are until rewritten
ALTER TABLE "public"."documents" ALTER COLUMN "Odd ""Name""" SET STORAGE PLAIN;
