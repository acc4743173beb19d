SET LOCAL check_function_bodies = off;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; trigger change
DROP TRIGGER "t_flag" ON "public"."t";

DROP FUNCTION "public"."is_big"(n integer);

CREATE OR REPLACE FUNCTION public.is_big(n integer)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE
AS $function$select (n > 100)::integer$function$;

-- strata: SHARE ROW EXCLUSIVE lock on "public"."t"; trigger change
CREATE TRIGGER t_flag BEFORE INSERT ON public.t FOR EACH ROW WHEN ((public.is_big(new.n) = 1)) EXECUTE FUNCTION public.flag();

-- strata: SHARE ROW EXCLUSIVE lock on "public"."t"; trigger change
ALTER TABLE "public"."t" ENABLE ALWAYS TRIGGER "t_flag";
