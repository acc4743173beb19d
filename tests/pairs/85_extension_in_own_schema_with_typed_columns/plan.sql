CREATE SCHEMA "ext";

CREATE EXTENSION IF NOT EXISTS "citext" WITH SCHEMA "ext";

CREATE EXTENSION IF NOT EXISTS "hstore" WITH SCHEMA "ext";

-- strata: ACCESS EXCLUSIVE lock on "public"."users"; brief (catalog change only)
ALTER TABLE "public"."users" ADD COLUMN "attrs" ext.hstore;

-- strata: ACCESS EXCLUSIVE lock on "public"."users"; brief (catalog change only)
ALTER TABLE "public"."users" ADD COLUMN "aliases" ext.citext[] DEFAULT '{}'::ext.citext[];

-- strata: ACCESS EXCLUSIVE lock on "public"."users"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."users" ALTER COLUMN "email" TYPE ext.citext USING "email"::ext.citext;

-- strata: ACCESS EXCLUSIVE lock on "public"."users" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."users" ADD CONSTRAINT "users_email_key" UNIQUE (email);

-- strata: ACCESS EXCLUSIVE lock on "public"."users" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."users" ADD CONSTRAINT "users_email_check" CHECK (((email)::text <> (''::ext.citext)::text));
