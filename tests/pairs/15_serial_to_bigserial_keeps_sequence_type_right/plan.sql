-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "id" TYPE bigint USING "id"::bigint;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER SEQUENCE "public"."t_id_seq" AS bigint INCREMENT BY 1 NO MINVALUE NO MAXVALUE START WITH 1 CACHE 1 NO CYCLE;
