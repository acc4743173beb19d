-- strata: ACCESS EXCLUSIVE lock on "public"."documents"; policy change
ALTER POLICY "old_name" ON "public"."documents" RENAME TO "new_name";

-- strata: ACCESS EXCLUSIVE lock on "public"."documents"; policy change
-- strata: by_owner: rows of documents this policy granted every role are no longer visible or writable through it
DROP POLICY "by_owner" ON "public"."documents";

-- strata: ACCESS EXCLUSIVE lock on "public"."documents"; policy change
-- strata: hides_archived: rows of documents this policy granted every role are no longer visible or writable through it
DROP POLICY "hides_archived" ON "public"."documents";

-- strata: ACCESS EXCLUSIVE lock on "public"."documents"; policy change
-- strata: goes_away: rows of documents this policy granted role(s) app_user are no longer visible or writable through it
DROP POLICY "goes_away" ON "public"."documents";

-- strata: ACCESS EXCLUSIVE lock on "public"."documents"; policy change
-- strata: by_owner: every role may see or write more rows of documents (permissive policies are OR-ed)
CREATE POLICY "by_owner" ON "public"."documents" AS PERMISSIVE FOR ALL TO PUBLIC USING ((owner_name = CURRENT_USER)) WITH CHECK ((owner_name = CURRENT_USER));

-- strata: ACCESS EXCLUSIVE lock on "public"."documents"; policy change
-- strata: hides_archived: every role may see or write fewer rows of documents (restrictive policies are AND-ed)
CREATE POLICY "hides_archived" ON "public"."documents" AS RESTRICTIVE FOR SELECT TO PUBLIC USING ((NOT archived));

COMMENT ON POLICY "new_name" ON "public"."documents" IS 'Reporting may purge archived rows';

-- strata: ACCESS EXCLUSIVE lock on "public"."documents"; policy change
-- strata: widened: which rows of documents role(s) Report Reader, app_user may see or write changes at once
ALTER POLICY "widened" ON "public"."documents" TO "Report Reader", "app_user" USING (((NOT archived) OR (tenant_id = 0)));
