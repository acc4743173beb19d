-- strata: view ranks is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."ranks";

DROP AGGREGATE "public"."rank_of"(anyelement ORDER BY anyelement);

CREATE AGGREGATE "public"."rank_of"(anyelement ORDER BY anyelement) (
    SFUNC = public._rank_add,
    STYPE = anyarray,
    INITCOND = '{}',
    FINALFUNC = public._rank_final
);

-- strata: view ranks is created again: grants on it are not restored
CREATE VIEW "public"."ranks" AS
SELECT public.rank_of(6) WITHIN GROUP (ORDER BY n) AS r
   FROM public.nums;

COMMENT ON AGGREGATE "public"."rank_of"(anyelement ORDER BY anyelement) IS 'No longer hypothetical';
