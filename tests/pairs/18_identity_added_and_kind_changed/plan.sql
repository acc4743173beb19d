-- strata: ACCESS EXCLUSIVE lock on "public"."a"; brief
ALTER TABLE "public"."a" ALTER COLUMN "id" ADD GENERATED ALWAYS AS IDENTITY;

SELECT setval(pg_get_serial_sequence('"public"."a"', 'id'), max("id")) FROM "public"."a" HAVING max("id") IS NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."b"; brief
ALTER TABLE "public"."b" ALTER COLUMN "id" SET GENERATED ALWAYS;
