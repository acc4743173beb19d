SET LOCAL check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.label(n integer)
 RETURNS text
 LANGUAGE sql
AS $function$select 'integer ' || n$function$;

CREATE OR REPLACE FUNCTION public.label(n text, m text)
 RETURNS text
 LANGUAGE sql
AS $function$select n || m$function$;
