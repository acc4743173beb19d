SET LOCAL check_function_bodies = off;

-- strata: view top_scored is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."top_scored";

-- strata: view scored is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."scored";

DROP FUNCTION "public"."score"(v integer);

CREATE OR REPLACE FUNCTION public.score(v integer)
 RETURNS bigint
 LANGUAGE sql
 IMMUTABLE
AS $function$select v::bigint * 2$function$;

-- strata: view scored is created again: grants on it are not restored
CREATE VIEW "public"."scored" AS
SELECT results.id,
    public.score(results.v) AS s
   FROM public.results;

-- strata: view top_scored is created again: grants on it are not restored
CREATE VIEW "public"."top_scored" AS
SELECT scored.id,
    scored.s
   FROM public.scored
  WHERE (scored.s > 10);
