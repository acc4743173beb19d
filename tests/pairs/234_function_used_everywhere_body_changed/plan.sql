SET LOCAL check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.norm(s text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$select lower(trim(s))$function$;
