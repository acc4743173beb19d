SET LOCAL check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.discount(price numeric)
 RETURNS numeric
 LANGUAGE sql
 STABLE COST 5
AS $function$select price * 0.8$function$;
