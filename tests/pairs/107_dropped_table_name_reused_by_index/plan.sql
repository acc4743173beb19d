-- DESTRUCTIVE: drops table orders_by_day and all its rows
DROP TABLE "public"."orders_by_day";

-- strata: SHARE lock on "public"."orders" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "orders_by_day" ON "public"."orders" USING btree (day);
