-- DESTRUCTIVE: changes t.n from bigint to integer: a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "n" TYPE integer USING "n"::integer;
