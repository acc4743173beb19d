-- strata: ACCESS EXCLUSIVE lock on "app"."docs"; brief
ALTER TABLE "app"."docs" DROP CONSTRAINT "docs_author_id_fkey";

-- strata: ACCESS EXCLUSIVE lock on "app"."docs"; brief
ALTER TABLE "app"."docs" DROP CONSTRAINT "docs_org_id_fkey";

-- strata: ACCESS EXCLUSIVE lock on "app"."orgs"; brief
ALTER TABLE "app"."orgs" DROP CONSTRAINT "orgs_owner_id_fkey";

-- strata: ACCESS EXCLUSIVE lock on "app"."users"; brief
ALTER TABLE "app"."users" DROP CONSTRAINT "users_org_id_fkey";

-- strata: ACCESS EXCLUSIVE lock on "audit"."log"; brief
ALTER TABLE "audit"."log" DROP CONSTRAINT "log_doc_id_fkey";

-- strata: ACCESS EXCLUSIVE lock on "audit"."log"; brief
ALTER TABLE "audit"."log" DROP CONSTRAINT "log_who_fkey";

-- DESTRUCTIVE: drops table app.docs and all its rows
DROP TABLE "app"."docs";

-- DESTRUCTIVE: drops table app.orgs and all its rows
DROP TABLE "app"."orgs";

-- DESTRUCTIVE: drops table app.users and all its rows
DROP TABLE "app"."users";

-- DESTRUCTIVE: drops table audit.log and all its rows
DROP TABLE "audit"."log";

-- DESTRUCTIVE: drops enum type app.role
DROP TYPE "app"."role";

-- DESTRUCTIVE: drops enum type status
DROP TYPE "public"."status";

-- DESTRUCTIVE: drops extension btree_gist
DROP EXTENSION "btree_gist";

-- DESTRUCTIVE: drops extension citext
DROP EXTENSION "citext";

-- DESTRUCTIVE: drops extension pgcrypto
DROP EXTENSION "pgcrypto";

-- DESTRUCTIVE: drops schema app
DROP SCHEMA "app";

-- DESTRUCTIVE: drops schema audit
DROP SCHEMA "audit";
