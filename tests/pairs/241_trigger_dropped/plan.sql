-- strata: ACCESS EXCLUSIVE lock on "public"."docs"; trigger change
DROP TRIGGER "docs_touch" ON "public"."docs";
