CREATE SEQUENCE "public"."plain";

CREATE SEQUENCE "public"."s" AS integer INCREMENT BY 10 MAXVALUE 100000 START WITH 100 CACHE 5 CYCLE;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" ALTER COLUMN "n" SET DEFAULT nextval('public.s'::regclass);

ALTER SEQUENCE "public"."s" OWNED BY "public"."t"."id";

COMMENT ON SEQUENCE "public"."s" IS 'invoice numbers';
