-- DESTRUCTIVE: collation words is re-created: columns t.a are re-collated (their indexes rebuilt) and sort and compare differently
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; the column is rewritten twice (parked while its type or collation is changed) and its indexes rebuilt
ALTER TABLE "public"."t" ALTER COLUMN "a" TYPE text COLLATE pg_catalog."default";

DROP COLLATION "public"."words";

CREATE COLLATION "public"."words" (PROVIDER = icu, LOCALE = 'x-icu', DETERMINISTIC = false);

ALTER TABLE "public"."t" ALTER COLUMN "a" TYPE text COLLATE public.words;
