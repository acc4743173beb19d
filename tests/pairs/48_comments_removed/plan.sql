COMMENT ON COLUMN "public"."t"."id" IS NULL;

COMMENT ON TABLE "public"."t" IS NULL;
