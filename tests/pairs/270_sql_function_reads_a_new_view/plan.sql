SET LOCAL check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.active_names()
 RETURNS SETOF text
 LANGUAGE sql
AS $function$select name from active_people$function$;

CREATE VIEW "public"."active_people" AS
SELECT people.id,
    people.name
   FROM public.people
  WHERE people.active;
