-- strata: runs the query of materialized view Big Days to fill it
CREATE MATERIALIZED VIEW "public"."Big Days" WITH ("fillfactor" = 90) AS
SELECT day
   FROM public.sales
  WHERE (amount > (1000)::numeric);

CREATE INDEX "big_days_day" ON "public"."Big Days" USING btree (day);

ALTER TABLE "public"."Big Days" CLUSTER ON "big_days_day";

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."daily_totals"; storage parameters
ALTER TABLE "public"."daily_totals" SET ("autovacuum_enabled" = false), RESET ("fillfactor");

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."daily_totals"; clustering index
ALTER TABLE "public"."daily_totals" CLUSTER ON "daily_totals_total";
