ALTER TABLE "public"."sales_us" RENAME CONSTRAINT "sales_us_id_not_null" TO "sales_id_not_null";

ALTER TABLE "public"."sales_us" RENAME CONSTRAINT "sales_us_region_not_null" TO "sales_region_not_null";

-- strata: ATTACH PARTITION fails unless the table has exactly the parent's columns (same types, NOT NULL where the parent's are) and the parent's CHECK constraints (same names), or when a row lies outside the bound (every row is scanned under ACCESS EXCLUSIVE on the table unless a CHECK constraint proves the bound; indexes of the parent the table lacks are built)
-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."sales"; a DEFAULT partition of it is scanned under ACCESS EXCLUSIVE for rows of the new bound
-- strata: to attach sales_us without scanning it under ACCESS EXCLUSIVE, give it first, in earlier migrations, the check `region IS NOT NULL AND region = ANY (ARRAY['us'])` with `not_valid: true`, then without it (VALIDATE CONSTRAINT: SHARE UPDATE EXCLUSIVE, reads and writes go on); ATTACH then trusts it and skips the scan
ALTER TABLE "public"."sales" ATTACH PARTITION "public"."sales_us" FOR VALUES IN ('us');

-- strata: ACCESS EXCLUSIVE lock on "public"."sales"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."sales" ALTER COLUMN "amount" SET NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."sales" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."sales" ADD CONSTRAINT "sales_amount_positive" CHECK ((amount > 0));
