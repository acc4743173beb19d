CREATE AGGREGATE "public"."total"(bigint) (
    SFUNC = int8pl,
    STYPE = bigint,
    INITCOND = '0'
);

CREATE OR REPLACE VIEW "public"."sums" AS
SELECT public.total((n)::bigint) AS t
   FROM public.nums;

DROP AGGREGATE "public"."total"(integer);
