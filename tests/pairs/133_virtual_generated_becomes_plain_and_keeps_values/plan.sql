-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."items", brief; code using the old name breaks
ALTER TABLE "public"."items" RENAME COLUMN "price" TO "cost";

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief
ALTER TABLE "public"."items" RENAME CONSTRAINT "items_price_not_null" TO "items_cost_not_null";

-- strata: doubled is a virtual generated column (nothing stored, nothing lost); it is recreated below
-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (catalog change only)
ALTER TABLE "public"."items" DROP COLUMN "doubled";

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (catalog change only)
ALTER TABLE "public"."items" ADD COLUMN "doubled" integer;

-- strata: doubled was a virtual generated column: every row gets the value it computed
-- strata: ACCESS EXCLUSIVE lock on "public"."items"; updates every row
UPDATE "public"."items" SET "doubled" = ((cost * 2));

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."items" ALTER COLUMN "doubled" SET NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."items" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."items" ADD CONSTRAINT "items_check" CHECK ((doubled = (cost * 2)));

-- strata: taxed is a virtual generated column (nothing stored, nothing lost); it is recreated below
-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (catalog change only)
ALTER TABLE "public"."items" DROP COLUMN "taxed";

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (catalog change only)
ALTER TABLE "public"."items" ADD COLUMN "taxed" integer;

-- strata: taxed was a virtual generated column: every row gets the value it computed
-- strata: ACCESS EXCLUSIVE lock on "public"."items"; updates every row
UPDATE "public"."items" SET "taxed" = ((cost + tax));

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."items" ALTER COLUMN "taxed" SET NOT NULL;

-- DESTRUCTIVE: drops column items.tax and its data
-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (catalog change only)
ALTER TABLE "public"."items" DROP COLUMN "tax";
