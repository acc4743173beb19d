CREATE SEQUENCE "public"."global_id" START WITH 1000;

-- strata: ACCESS EXCLUSIVE lock on "public"."a"; brief
ALTER TABLE "public"."a" ALTER COLUMN "id" SET DEFAULT nextval('public.global_id'::regclass);

-- strata: ACCESS EXCLUSIVE lock on "public"."b"; brief
ALTER TABLE "public"."b" ALTER COLUMN "id" SET DEFAULT nextval('public.global_id'::regclass);
