-- strata: SHARE lock on "public"."daily" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "daily_total_idx" ON "public"."daily" USING btree (total DESC);

-- strata: ACCESS EXCLUSIVE lock on "public"."daily"; while the materialized view is refreshed
-- strata: materialized view daily: empties it: reading it fails until it is refreshed
REFRESH MATERIALIZED VIEW "public"."daily" WITH NO DATA;

COMMENT ON INDEX "public"."daily_day_idx" IS 'one row a day';
