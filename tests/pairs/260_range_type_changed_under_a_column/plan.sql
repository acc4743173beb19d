-- DESTRUCTIVE: floatrange is re-created: the values of columns t.r go through text and back into the new definition, which may change or refuse them
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; the column is rewritten twice (parked while its type or collation is changed) and its indexes rebuilt
ALTER TABLE "public"."t" ALTER COLUMN "r" TYPE text USING "r"::text;

-- strata: drops range type floatrange; the columns using it are dropped or re-typed before
DROP TYPE "public"."floatrange";

CREATE TYPE "public"."floatrange" AS RANGE (SUBTYPE = double precision, SUBTYPE_DIFF = float8mi);

ALTER TABLE "public"."t" ALTER COLUMN "r" TYPE public.floatrange USING "r"::public.floatrange;
