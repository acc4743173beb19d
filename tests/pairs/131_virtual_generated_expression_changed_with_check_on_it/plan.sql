-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief
ALTER TABLE "public"."items" DROP CONSTRAINT "items_total_check";

-- strata: total is a virtual generated column (nothing stored, nothing lost); it is recreated below
-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (catalog change only)
ALTER TABLE "public"."items" DROP COLUMN "total";

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (catalog change only)
ALTER TABLE "public"."items" ADD COLUMN "total" integer GENERATED ALWAYS AS (((price * qty) * 2)) VIRTUAL;

-- strata: ACCESS EXCLUSIVE lock on "public"."items" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."items" ADD CONSTRAINT "items_total_check" CHECK ((total >= 0));
