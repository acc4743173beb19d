COMMENT ON TYPE "public"."color" IS 'Colours';

COMMENT ON CONSTRAINT "t_a_check" ON "public"."t" IS 'no empty a';

COMMENT ON INDEX "public"."t_a_idx" IS 'index on a';

COMMENT ON COLUMN "public"."t"."a" IS 'the a column';

COMMENT ON TABLE "public"."t" IS 'It''s a table';
