-- strata: ACCESS EXCLUSIVE lock on "public"."audit"; row-level security
-- strata: without row-level security the table's policies stop applying: every role with privileges on it sees every row
ALTER TABLE "public"."audit" DISABLE ROW LEVEL SECURITY;

-- strata: ACCESS EXCLUSIVE lock on "public"."audit"; row-level security
-- strata: the table's owner is no longer subject to its policies
ALTER TABLE "public"."audit" NO FORCE ROW LEVEL SECURITY;

-- strata: ACCESS EXCLUSIVE lock on "public"."documents"; row-level security
-- strata: the table's owner becomes subject to its policies too
ALTER TABLE "public"."documents" FORCE ROW LEVEL SECURITY;

-- strata: ACCESS EXCLUSIVE lock on "public"."tenants"; row-level security
-- strata: with row-level security a role sees and changes only the rows a policy grants it (none without a policy), except the table's owner, superusers and BYPASSRLS roles
ALTER TABLE "public"."tenants" ENABLE ROW LEVEL SECURITY;
