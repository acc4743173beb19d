SET LOCAL check_function_bodies = off;

-- strata: view actor_info is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."actor_info";

DROP AGGREGATE "public"."group_concat"(text);

DROP FUNCTION "public"."_group_concat"(a text, b text);

CREATE OR REPLACE FUNCTION public._group_concat(acc text, x text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$SELECT CASE WHEN x IS NULL THEN acc WHEN acc IS NULL THEN x ELSE acc || ', ' || x END$function$;

CREATE AGGREGATE "public"."group_concat"(text) (
    SFUNC = public._group_concat,
    STYPE = text
);

-- strata: view actor_info is created again: grants on it are not restored
CREATE VIEW "public"."actor_info" AS
SELECT public.group_concat(name ORDER BY name) AS names
   FROM public.actor;

COMMENT ON AGGREGATE "public"."group_concat"(text) IS 'Kept';
