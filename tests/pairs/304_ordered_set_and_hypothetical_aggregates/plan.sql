SET LOCAL check_function_bodies = off;

CREATE OR REPLACE FUNCTION public._nth_add(state text[], v text)
 RETURNS text[]
 LANGUAGE sql
 IMMUTABLE
AS $function$SELECT state || v$function$;

CREATE OR REPLACE FUNCTION public._nth_final(state text[], n integer)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$SELECT state[n]$function$;

CREATE OR REPLACE FUNCTION public._rank_add(anyarray, anyelement)
 RETURNS anyarray
 LANGUAGE sql
 IMMUTABLE
AS $function$SELECT $1 || $2$function$;

CREATE OR REPLACE FUNCTION public._rank_final(anyarray, anyelement)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE
AS $function$SELECT 1 + cardinality(array(SELECT x FROM unnest($1) x WHERE x < $2))$function$;

CREATE AGGREGATE "public"."nth_in"(n integer ORDER BY text) (
    SFUNC = public._nth_add,
    STYPE = text[],
    INITCOND = '{}',
    FINALFUNC = public._nth_final,
    FINALFUNC_MODIFY = READ_ONLY
);

CREATE AGGREGATE "public"."rank_of"(anyelement ORDER BY anyelement) (
    SFUNC = public._rank_add,
    STYPE = anyarray,
    INITCOND = '{}',
    FINALFUNC = public._rank_final,
    HYPOTHETICAL
);

CREATE VIEW "public"."ranks" AS
SELECT public.nth_in(2) WITHIN GROUP (ORDER BY (nums.n)::text) AS second,
    public.rank_of(6) WITHIN GROUP (ORDER BY nums.n) AS r
   FROM public.nums;

COMMENT ON AGGREGATE "public"."rank_of"(anyelement ORDER BY anyelement) IS 'Rank a value would have';
