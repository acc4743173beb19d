-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table (the new column's values are computed per row)
ALTER TABLE "public"."t" ADD COLUMN "id" serial;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table (the new column's values are computed per row)
ALTER TABLE "public"."t" ADD COLUMN "big" bigserial;
