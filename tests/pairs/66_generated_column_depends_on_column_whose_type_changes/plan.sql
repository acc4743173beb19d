-- strata: total is recreated below (its generation expression, or the type of a column it uses, changed); values are recomputed
-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (catalog change only)
ALTER TABLE "public"."items" DROP COLUMN "total";

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."items" ALTER COLUMN "price" TYPE numeric(12,2) USING "price"::numeric(12,2);

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; rewrites the table (the new column's values are computed per row)
ALTER TABLE "public"."items" ADD COLUMN "total" integer GENERATED ALWAYS AS ((price * (qty)::numeric)) STORED;
