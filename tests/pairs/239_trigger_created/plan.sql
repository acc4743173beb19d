-- strata: SHARE ROW EXCLUSIVE lock on "public"."docs"; trigger change
CREATE TRIGGER docs_touch BEFORE INSERT OR UPDATE OF title ON public.docs FOR EACH ROW WHEN ((new.title IS NOT NULL)) EXECUTE FUNCTION public.touch();

COMMENT ON TRIGGER "docs_touch" ON "public"."docs" IS 'Keeps updated_at current';
