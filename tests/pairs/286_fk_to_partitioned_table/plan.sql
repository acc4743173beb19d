-- strata: SHARE ROW EXCLUSIVE lock on "public"."event_notes" and "public"."events" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."event_notes" ADD CONSTRAINT "event_notes_event_id_tenant_fkey" FOREIGN KEY (event_id, tenant) REFERENCES public.events(id, tenant);
