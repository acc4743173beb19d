-- DESTRUCTIVE: drops column t.s and its data
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" DROP COLUMN "s";

-- strata: drops domain small_pos; the columns using it are dropped or re-typed before
DROP DOMAIN "public"."small_pos";

-- strata: drops domain base_pos; the columns using it are dropped or re-typed before
DROP DOMAIN "public"."base_pos";
