-- strata: ACCESS EXCLUSIVE lock on "public"."organizations"; brief
ALTER TABLE "public"."organizations" DROP CONSTRAINT "organizations_created_by_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."users"; brief
ALTER TABLE "public"."users" DROP CONSTRAINT "users_organization_id_fkey";

-- DESTRUCTIVE: drops table organizations and all its rows
DROP TABLE "public"."organizations";

-- DESTRUCTIVE: drops table users and all its rows
DROP TABLE "public"."users";
