-- strata: ACCESS EXCLUSIVE lock on "public"."people"; brief (catalog change only)
ALTER TABLE "public"."people" ADD COLUMN "last" text;

-- strata: ACCESS EXCLUSIVE lock on "public"."people"; rewrites the table (the new column's values are computed per row)
ALTER TABLE "public"."people" ADD COLUMN "full_name" text GENERATED ALWAYS AS (((first || ' '::text) || last)) STORED;
