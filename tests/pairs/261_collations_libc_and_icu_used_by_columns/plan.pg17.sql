CREATE COLLATION "public"."bytes" (LOCALE = 'C');

CREATE COLLATION "public"."root_ci" (PROVIDER = icu, LOCALE = 'x-icu', DETERMINISTIC = false);

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "a" text COLLATE public.bytes;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "b" text COLLATE public.root_ci;

COMMENT ON COLLATION "public"."bytes" IS 'byte order';
