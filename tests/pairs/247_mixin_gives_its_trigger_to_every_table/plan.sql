CREATE OR REPLACE FUNCTION public.set_updated_at()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$begin
  new.updated_at := now();
  return new;
end
$function$;

-- strata: SHARE ROW EXCLUSIVE lock on "public"."a"; trigger change
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.a FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- strata: SHARE ROW EXCLUSIVE lock on "public"."b"; trigger change
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.b FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
