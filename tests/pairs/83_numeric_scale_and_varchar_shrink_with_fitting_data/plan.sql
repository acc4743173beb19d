-- DESTRUCTIVE: changes t.code from character varying(40) to character varying(8): a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "code" TYPE character varying(8);

-- DESTRUCTIVE: changes t.note from text to character varying(100): a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "note" TYPE character varying(100);

-- DESTRUCTIVE: changes t.amount from numeric(12,4) to numeric(10,2): a value that would be rounded or cut makes the migration fail (the conversion is guarded)
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "amount" TYPE numeric(10,2) USING CASE WHEN "amount"::numeric(10,2)::numeric(12,4) IS NOT DISTINCT FROM "amount" THEN "amount"::numeric(10,2) ELSE ('strata: "amount" value does not fit numeric(10,2) unchanged: ' || "amount"::text)::numeric(10,2) END;
