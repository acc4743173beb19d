-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" ALTER COLUMN "n" DROP DEFAULT;

-- DESTRUCTIVE: drops sequence s and its current value
DROP SEQUENCE "public"."s";
