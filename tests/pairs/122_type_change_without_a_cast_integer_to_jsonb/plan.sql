-- DESTRUCTIVE: changes t.v from integer to jsonb: a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "v" TYPE jsonb USING "v"::jsonb;
