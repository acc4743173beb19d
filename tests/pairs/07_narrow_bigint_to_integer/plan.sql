-- DESTRUCTIVE: changes t.n from bigint to integer: values may not convert or may lose precision
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "n" TYPE integer USING "n"::integer;
