-- DESTRUCTIVE: changes t.qty from text to integer: values may not convert or may lose precision
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "qty" TYPE integer USING "qty"::integer;
