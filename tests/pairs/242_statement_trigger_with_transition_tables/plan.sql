-- strata: SHARE ROW EXCLUSIVE lock on "public"."docs"; trigger change
CREATE TRIGGER docs_audit AFTER INSERT ON public.docs REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit();

-- strata: SHARE ROW EXCLUSIVE lock on "public"."docs"; trigger change
ALTER TABLE "public"."docs" ENABLE ALWAYS TRIGGER "docs_audit";
