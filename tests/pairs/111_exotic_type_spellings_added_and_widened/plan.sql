-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "at" timestamp(3) with time zone DEFAULT now() NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "span" interval day to second(0);

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "ym" interval year to month;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "t" time(0) with time zone;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "ch" character(3);

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "c1" "char";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "vb" bit varying(16);

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "n5" numeric(5,0);

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "grid" double precision[];

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "f" real;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (no rewrite needed)
ALTER TABLE "public"."t" ALTER COLUMN "codes" TYPE character varying(20)[] USING "codes"::character varying(20)[];

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" ALTER COLUMN "codes" SET DEFAULT '{}'::character varying[];

-- strata: rows where the column is NULL get its default before NOT NULL is set
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; updates those rows
UPDATE "public"."t" SET "codes" = DEFAULT WHERE "codes" IS NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."t" ALTER COLUMN "codes" SET NOT NULL;
