-- strata: ACCESS EXCLUSIVE lock on "public"."lines"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."lines_total";

-- DESTRUCTIVE: drops column lines.total and its data
-- strata: ACCESS EXCLUSIVE lock on "public"."lines"; brief (catalog change only)
ALTER TABLE "public"."lines" DROP COLUMN "total";

-- strata: ACCESS EXCLUSIVE lock on "public"."lines"; rewrites the table (the new column's values are computed per row)
ALTER TABLE "public"."lines" ADD COLUMN "total" numeric GENERATED ALWAYS AS ((price * (qty)::numeric)) STORED;

-- strata: SHARE lock on "public"."lines" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "lines_total" ON "public"."lines" USING btree (total);
