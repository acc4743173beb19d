CREATE OR REPLACE FUNCTION public.stamp_v2()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$begin new.n := 2; return new; end$function$;

-- strata: SHARE ROW EXCLUSIVE lock on "public"."t"; trigger change
CREATE OR REPLACE TRIGGER t_stamp BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.stamp_v2();

-- strata: SHARE ROW EXCLUSIVE lock on "public"."t"; trigger change
ALTER TABLE "public"."t" ENABLE REPLICA TRIGGER "t_stamp";

DROP FUNCTION "public"."stamp"();
