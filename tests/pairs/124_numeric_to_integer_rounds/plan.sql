-- DESTRUCTIVE: changes t.amount from numeric(10,3) to integer: values may not convert or may lose precision
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "amount" TYPE integer USING "amount"::integer;
