SET LOCAL check_function_bodies = off;

-- strata: ACCESS EXCLUSIVE lock on "public"."users"; brief
ALTER TABLE "public"."users" DROP CONSTRAINT "users_email_check";

-- strata: ACCESS EXCLUSIVE lock on "public"."users"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."users_norm_idx";

-- strata: ACCESS EXCLUSIVE lock on "public"."users"; brief
ALTER TABLE "public"."users" ALTER COLUMN "handle" DROP DEFAULT;

-- strata: email_norm is recreated below (its generation expression, or the type of a column it uses, changed); values are recomputed
-- strata: ACCESS EXCLUSIVE lock on "public"."users"; brief (catalog change only)
ALTER TABLE "public"."users" DROP COLUMN "email_norm";

DROP FUNCTION "public"."norm"(s text);

CREATE OR REPLACE FUNCTION public.norm(input text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$select lower(input)$function$;

-- strata: ACCESS EXCLUSIVE lock on "public"."users"; rewrites the table (the new column's values are computed per row)
ALTER TABLE "public"."users" ADD COLUMN "email_norm" text GENERATED ALWAYS AS (public.norm(email)) STORED;

-- strata: ACCESS EXCLUSIVE lock on "public"."users"; brief
ALTER TABLE "public"."users" ALTER COLUMN "handle" SET DEFAULT public.norm('Anon'::text);

-- strata: ACCESS EXCLUSIVE lock on "public"."users" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."users" ADD CONSTRAINT "users_email_check" CHECK ((public.norm(email) <> ''::text));

-- strata: SHARE lock on "public"."users" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE UNIQUE INDEX "users_norm_idx" ON "public"."users" USING btree (public.norm(email));
