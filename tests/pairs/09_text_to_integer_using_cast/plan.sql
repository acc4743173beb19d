-- DESTRUCTIVE: changes t.qty from text to integer: a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "qty" TYPE integer USING "qty"::integer;
