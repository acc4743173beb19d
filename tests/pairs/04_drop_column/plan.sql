-- DESTRUCTIVE: drops column t.legacy and its data
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" DROP COLUMN "legacy";
