SET LOCAL check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.app_version()
 RETURNS integer
 LANGUAGE plpgsql
AS $function$begin
  return 3;
end
$function$;

CREATE OR REPLACE FUNCTION public.full_name(f text, l text DEFAULT ''::text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE STRICT
AS $function$select f || ' ' || l$function$;

COMMENT ON FUNCTION "public"."full_name"(f text, l text) IS 'Display name of a person';
