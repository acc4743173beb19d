-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "id" TYPE bigint USING "id"::bigint;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER SEQUENCE "public"."t_id_seq" AS bigint INCREMENT BY 1 NO MINVALUE NO MAXVALUE START WITH 1 CACHE 1 NO CYCLE;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "n" TYPE integer USING "n"::integer;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER SEQUENCE "public"."t_n_seq" AS integer INCREMENT BY 10 NO MINVALUE NO MAXVALUE START WITH 10 CACHE 1 NO CYCLE;
