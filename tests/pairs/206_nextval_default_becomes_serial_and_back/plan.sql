-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER SEQUENCE "public"."t_id_seq" AS integer INCREMENT BY 1 NO MINVALUE NO MAXVALUE START WITH 1 CACHE 1 NO CYCLE OWNED BY "public"."t"."id";
