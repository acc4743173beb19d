SET LOCAL check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.whoami()
 RETURNS text
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
 SET statement_timeout TO '5s'
AS $function$select current_user::text$function$;
