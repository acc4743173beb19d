-- strata: ACCESS EXCLUSIVE lock on "public"."t"; the column is rewritten twice (parked while its type or collation is changed) and its indexes rebuilt
ALTER TABLE "public"."t" ALTER COLUMN "p" TYPE text USING "p"::text;

ALTER TYPE "public"."pair" ALTER ATTRIBUTE "a" TYPE bigint;

ALTER TYPE "public"."pair" ALTER ATTRIBUTE "b" TYPE text;

ALTER TABLE "public"."t" ALTER COLUMN "p" TYPE public.pair USING "p"::public.pair;
