-- DESTRUCTIVE: changes t.code from character varying(40) to character varying(8): values may not convert or may lose precision
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "code" TYPE character varying(8) USING "code"::character varying(8);

-- DESTRUCTIVE: changes t.note from text to character varying(100): values may not convert or may lose precision
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "note" TYPE character varying(100) USING "note"::character varying(100);

-- DESTRUCTIVE: changes t.amount from numeric(12,4) to numeric(10,2): values may not convert or may lose precision
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "amount" TYPE numeric(10,2) USING "amount"::numeric(10,2);
