-- DESTRUCTIVE: amount is re-created: the values of columns t.a, t.b go through text and back into the new definition, which may change or refuse them
ALTER TABLE "public"."t" ALTER COLUMN "a" DROP DEFAULT;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; the column is rewritten twice (parked while its type or collation is changed) and its indexes rebuilt
ALTER TABLE "public"."t" ALTER COLUMN "a" TYPE text USING "a"::text;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; the column is rewritten twice (parked while its type or collation is changed) and its indexes rebuilt
ALTER TABLE "public"."t" ALTER COLUMN "b" TYPE text[] USING "b"::text[];

-- strata: drops domain amount; the columns using it are dropped or re-typed before
DROP DOMAIN "public"."amount";

CREATE DOMAIN "public"."amount" AS numeric(12,2) DEFAULT 0;

ALTER TABLE "public"."t" ALTER COLUMN "a" TYPE public.amount USING "a"::public.amount;

ALTER TABLE "public"."t" ALTER COLUMN "a" SET DEFAULT 1;

ALTER TABLE "public"."t" ALTER COLUMN "b" TYPE public.amount[] USING "b"::public.amount[];
