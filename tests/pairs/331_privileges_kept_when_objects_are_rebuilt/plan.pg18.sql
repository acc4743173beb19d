SET LOCAL check_function_bodies = off;

-- strata: view contacts is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."contacts";

-- strata: view names is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."names";

-- DESTRUCTIVE: removes value(s) "meh" from enum mood: rows holding them make the conversion fail
ALTER TYPE "public"."mood" RENAME TO "mood__strata_old";

CREATE TYPE "public"."mood" AS ENUM ('ok', 'sad');

-- strata: the old type, now unused
DROP TYPE "public"."mood__strata_old";

-- strata: ACCESS EXCLUSIVE lock on "public"."users"; brief (no rewrite needed)
ALTER TABLE "public"."users" ALTER COLUMN "name" TYPE character varying(40) USING "name"::character varying(40);

CREATE VIEW "public"."contacts" AS
SELECT id,
    email
   FROM public.users;

CREATE VIEW "public"."names" AS
SELECT id,
    name
   FROM public.users;

DROP FUNCTION "public"."answer"();

CREATE OR REPLACE FUNCTION public.answer()
 RETURNS bigint
 LANGUAGE sql
AS $function$SELECT 42::bigint$function$;

GRANT SELECT ON TABLE "public"."contacts" TO "app_reader";

GRANT SELECT ON TABLE "public"."names" TO "Priv Writer" WITH GRANT OPTION;

GRANT SELECT ON TABLE "public"."names" TO "app_reader";

-- strata: public loses EXECUTE on function answer()
REVOKE EXECUTE ON ROUTINE "public"."answer"() FROM PUBLIC;

GRANT EXECUTE ON ROUTINE "public"."answer"() TO "app_reader";

-- strata: public loses USAGE on type mood
REVOKE USAGE ON TYPE "public"."mood" FROM PUBLIC;

GRANT USAGE ON TYPE "public"."mood" TO "app_reader";
