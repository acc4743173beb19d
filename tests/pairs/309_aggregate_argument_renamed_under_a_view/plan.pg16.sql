-- strata: view sums is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."sums";

DROP AGGREGATE "public"."total"(x integer);

CREATE AGGREGATE "public"."total"(amount integer) (
    SFUNC = int84pl,
    STYPE = bigint,
    INITCOND = '0'
);

-- strata: view sums is created again: grants on it are not restored
CREATE VIEW "public"."sums" AS
SELECT public.total(n) AS t
   FROM public.nums;
