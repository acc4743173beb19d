CREATE TABLE "public"."Audit Log" (
    "id" bigint NOT NULL,
    "Entry Text" text,
    CONSTRAINT "Audit Log_pkey" PRIMARY KEY (id)
);

-- strata: ACCESS EXCLUSIVE lock on "public"."notes"; brief (catalog change only)
ALTER TABLE "public"."notes" ADD COLUMN "extra" text;

-- strata: ACCESS EXCLUSIVE lock on "public"."notes"; brief (no rewrite needed)
ALTER TABLE "public"."notes" ALTER COLUMN "title" TYPE text USING "title"::text;

ALTER TABLE "public"."Audit Log" ALTER COLUMN "Entry Text" SET STATISTICS 300;

ALTER TABLE "public"."Audit Log" ALTER COLUMN "Entry Text" SET STORAGE MAIN;

ALTER TABLE "public"."Audit Log" ALTER COLUMN "Entry Text" SET COMPRESSION pglz;

ALTER TABLE "public"."Audit Log" ALTER COLUMN "Entry Text" SET ("n_distinct" = -0.5);

-- strata: ACCESS EXCLUSIVE lock on "public"."notes"; column storage
-- strata: the new storage applies to values written from now on; existing values stay as they are until rewritten
ALTER TABLE "public"."notes" ALTER COLUMN "title" SET STORAGE EXTERNAL;

-- strata: ACCESS EXCLUSIVE lock on "public"."notes"; column compression
-- strata: the new compression applies to values written from now on; existing values keep their old compression
ALTER TABLE "public"."notes" ALTER COLUMN "title" SET COMPRESSION pglz;

-- strata: ACCESS EXCLUSIVE lock on "public"."notes"; column storage
-- strata: the new storage applies to values written from now on; existing values stay as they are until rewritten
ALTER TABLE "public"."notes" ALTER COLUMN "body" SET STORAGE EXTENDED;

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."notes"; column attribute options
ALTER TABLE "public"."notes" ALTER COLUMN "body" SET ("n_distinct" = 250);

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."notes"; column statistics target
ALTER TABLE "public"."notes" ALTER COLUMN "kind" SET STATISTICS 75;

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."notes"; column attribute options
ALTER TABLE "public"."notes" ALTER COLUMN "kind" SET ("n_distinct_inherited" = 30), ALTER COLUMN "kind" RESET ("n_distinct");

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."notes"; column statistics target
ALTER TABLE "public"."notes" ALTER COLUMN "extra" SET STATISTICS 5;

-- strata: ACCESS EXCLUSIVE lock on "public"."notes"; column storage
-- strata: the new storage applies to values written from now on; existing values stay as they are until rewritten
ALTER TABLE "public"."notes" ALTER COLUMN "extra" SET STORAGE EXTERNAL;
