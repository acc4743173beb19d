-- strata: ACCESS EXCLUSIVE lock on "public"."a"; brief
ALTER TABLE "public"."a" ALTER COLUMN "id" ADD GENERATED ALWAYS AS IDENTITY;

-- strata: ACCESS EXCLUSIVE lock on "public"."b"; brief
ALTER TABLE "public"."b" ALTER COLUMN "id" SET GENERATED ALWAYS;
