SET LOCAL check_function_bodies = off;

-- strata: ACCESS EXCLUSIVE lock on "public"."invoices"; policy change
-- strata: by_region: rows of invoices this policy granted every role are no longer visible or writable through it
DROP POLICY "by_region" ON "public"."invoices";

-- strata: ACCESS EXCLUSIVE lock on "public"."invoices"; policy change
-- strata: by_tenant: rows of invoices this policy granted every role are no longer visible or writable through it
DROP POLICY "by_tenant" ON "public"."invoices";

-- strata: ACCESS EXCLUSIVE lock on "public"."invoices"; policy change
-- strata: members_only: rows of invoices this policy granted every role are no longer visible or writable through it
DROP POLICY "members_only" ON "public"."invoices";

-- strata: ACCESS EXCLUSIVE lock on "public"."invoices"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."invoices" ALTER COLUMN "tenant_id" TYPE bigint USING "tenant_id"::bigint;

-- strata: ACCESS EXCLUSIVE lock on "public"."invoices"; brief (no rewrite needed)
ALTER TABLE "public"."invoices" ALTER COLUMN "region" TYPE text USING "region"::text;

-- strata: ACCESS EXCLUSIVE lock on "public"."invoices"; policy change
-- strata: by_region: every role may see or write more rows of invoices (permissive policies are OR-ed)
CREATE POLICY "by_region" ON "public"."invoices" AS PERMISSIVE FOR SELECT TO PUBLIC USING ((region = 'eu'::text));

-- strata: ACCESS EXCLUSIVE lock on "public"."invoices"; policy change
-- strata: members_only: every role may see or write more rows of invoices (permissive policies are OR-ed)
CREATE POLICY "members_only" ON "public"."invoices" AS PERMISSIVE FOR SELECT TO PUBLIC USING ((tenant_id > 0));

-- DESTRUCTIVE: drops column invoices.legacy_flag and its data
-- strata: ACCESS EXCLUSIVE lock on "public"."invoices"; brief (catalog change only)
ALTER TABLE "public"."invoices" DROP COLUMN "legacy_flag";

-- DESTRUCTIVE: drops table memberships and all its rows
DROP TABLE "public"."memberships";

DROP FUNCTION "public"."current_tenant"();

CREATE OR REPLACE FUNCTION public.current_tenant()
 RETURNS bigint
 LANGUAGE sql
 STABLE
AS $function$select current_setting('app.tenant_id')::bigint$function$;

-- strata: ACCESS EXCLUSIVE lock on "public"."invoices"; policy change
-- strata: by_tenant: every role may see or write more rows of invoices (permissive policies are OR-ed)
CREATE POLICY "by_tenant" ON "public"."invoices" AS PERMISSIVE FOR ALL TO PUBLIC USING ((tenant_id = public.current_tenant()));
