-- DESTRUCTIVE: changes t.amount from numeric(10,3) to integer: a value that would be rounded or cut makes the migration fail (the conversion is guarded)
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "amount" TYPE integer USING CASE WHEN "amount"::integer::numeric(10,3) IS NOT DISTINCT FROM "amount" THEN "amount"::integer ELSE ('strata: "amount" value does not fit integer unchanged: ' || "amount"::text)::integer END;
