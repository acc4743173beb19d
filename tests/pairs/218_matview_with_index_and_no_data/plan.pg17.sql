-- strata: runs the query of materialized view daily to fill it
CREATE MATERIALIZED VIEW "public"."daily" AS
SELECT day,
    sum(total) AS total
   FROM public.sales
  GROUP BY day;

CREATE UNIQUE INDEX "daily_day_idx" ON "public"."daily" USING btree (day);

CREATE MATERIALIZED VIEW "public"."daily_empty" AS
SELECT day
   FROM public.sales
  WITH NO DATA;

CREATE INDEX "daily_empty_by_day" ON "public"."daily_empty" USING btree (day);

COMMENT ON INDEX "public"."daily_empty_by_day" IS 'for lookups';
