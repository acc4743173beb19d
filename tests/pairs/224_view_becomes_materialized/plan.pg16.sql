-- strata: view big_days is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."big_days";

-- strata: view totals is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."totals";

-- strata: runs the query of materialized view totals to fill it
-- strata: materialized view totals is created again: grants on it are not restored
CREATE MATERIALIZED VIEW "public"."totals" AS
SELECT day,
    sum(total) AS total
   FROM public.sales
  GROUP BY day;

-- strata: view big_days is created again: grants on it are not restored
CREATE VIEW "public"."big_days" AS
SELECT day
   FROM public.totals
  WHERE (total > (100)::numeric);
