-- strata: materialized view weekly is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
-- strata: ACCESS EXCLUSIVE lock on "public"."weekly"; while the materialized view is dropped
DROP MATERIALIZED VIEW "public"."weekly";

-- strata: materialized view daily is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
-- strata: ACCESS EXCLUSIVE lock on "public"."daily"; while the materialized view is dropped
DROP MATERIALIZED VIEW "public"."daily";

-- strata: runs the query of materialized view daily to fill it
-- strata: materialized view daily is created again: grants on it are not restored
CREATE MATERIALIZED VIEW "public"."daily" AS
SELECT day,
    sum(total) AS total,
    count(*) AS n
   FROM public.sales
  GROUP BY day;

CREATE UNIQUE INDEX "daily_day_idx" ON "public"."daily" USING btree (day);

-- strata: runs the query of materialized view weekly to fill it
-- strata: materialized view weekly is created again: grants on it are not restored
CREATE MATERIALIZED VIEW "public"."weekly" AS
SELECT date_trunc('week'::text, (day)::timestamp with time zone) AS week,
    sum(total) AS total
   FROM public.daily
  GROUP BY (date_trunc('week'::text, (day)::timestamp with time zone));
