COMMENT ON PROCEDURE "app"."purge"() IS 'Empties t';

COMMENT ON FUNCTION "public"."touch"() IS NULL;

COMMENT ON TRIGGER "t_touch" ON "public"."t" IS 'It''s new';
