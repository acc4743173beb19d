-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" ALTER COLUMN "id" DROP IDENTITY;

CREATE SEQUENCE "public"."t_id_seq" START WITH 100;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" ALTER COLUMN "id" SET DEFAULT nextval('public.t_id_seq'::regclass);
