-- DESTRUCTIVE: drops column people.full_name and its data
-- strata: ACCESS EXCLUSIVE lock on "public"."people"; brief (catalog change only)
ALTER TABLE "public"."people" DROP COLUMN "full_name";

-- DESTRUCTIVE: drops column people.last and its data
-- strata: ACCESS EXCLUSIVE lock on "public"."people"; brief (catalog change only)
ALTER TABLE "public"."people" DROP COLUMN "last";
