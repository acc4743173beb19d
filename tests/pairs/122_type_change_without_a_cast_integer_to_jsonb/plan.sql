-- DESTRUCTIVE: changes t.v from integer to jsonb: values may not convert or may lose precision
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "v" TYPE jsonb USING "v"::jsonb;
