-- DESTRUCTIVE: changes t.u from uuid to character varying(20): a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "u" TYPE character varying(20);
