SET LOCAL check_function_bodies = off;

-- strata: ACCESS EXCLUSIVE lock on "public"."results"; brief
ALTER TABLE "public"."results" DROP CONSTRAINT "results_v_check";

DROP FUNCTION "public"."score"(v integer);

CREATE OR REPLACE FUNCTION public.score(v integer)
 RETURNS bigint
 LANGUAGE sql
 IMMUTABLE
AS $function$select v::bigint * 2$function$;

-- strata: ACCESS EXCLUSIVE lock on "public"."results" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."results" ADD CONSTRAINT "results_v_check" CHECK ((public.score(v) < 1000));
