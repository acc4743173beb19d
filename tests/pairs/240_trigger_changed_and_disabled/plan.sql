-- strata: SHARE ROW EXCLUSIVE lock on "public"."docs"; trigger change
CREATE OR REPLACE TRIGGER docs_touch BEFORE UPDATE ON public.docs FOR EACH ROW EXECUTE FUNCTION public.touch();

-- strata: SHARE ROW EXCLUSIVE lock on "public"."docs"; trigger change
ALTER TABLE "public"."docs" DISABLE TRIGGER "docs_touch";

COMMENT ON TRIGGER "docs_touch" ON "public"."docs" IS 'Keeps updated_at current (disabled during import)';
