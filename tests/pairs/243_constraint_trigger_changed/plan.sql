-- strata: ACCESS EXCLUSIVE lock on "public"."docs"; trigger change
DROP TRIGGER "docs_check" ON "public"."docs";

-- strata: SHARE ROW EXCLUSIVE lock on "public"."docs"; trigger change
CREATE CONSTRAINT TRIGGER docs_check AFTER INSERT OR UPDATE ON public.docs DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.check_doc();
