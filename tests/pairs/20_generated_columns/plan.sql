-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table (the new column's values are computed per row)
ALTER TABLE "public"."t" ADD COLUMN "discounted" numeric GENERATED ALWAYS AS ((price * 0.9)) STORED;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" ALTER COLUMN "legacy" DROP EXPRESSION;

-- strata: total is recreated below (its generation expression, or the type of a column it uses, changed); values are recomputed
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" DROP COLUMN "total";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table (the new column's values are computed per row)
ALTER TABLE "public"."t" ADD COLUMN "total" numeric GENERATED ALWAYS AS (((price * (qty)::numeric) * 1.2)) STORED;

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_total_idx" ON "public"."t" USING btree (total);
