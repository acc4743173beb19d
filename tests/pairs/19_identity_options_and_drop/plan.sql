-- strata: ACCESS EXCLUSIVE lock on "public"."a"; brief
ALTER SEQUENCE "public"."a_id_seq" AS bigint INCREMENT BY 10 NO MINVALUE NO MAXVALUE START WITH 100 CACHE 1 NO CYCLE;

-- strata: ACCESS EXCLUSIVE lock on "public"."b"; brief
ALTER TABLE "public"."b" ALTER COLUMN "id" DROP IDENTITY;
