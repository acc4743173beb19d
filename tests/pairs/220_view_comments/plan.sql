COMMENT ON MATERIALIZED VIEW "public"."counts" IS 'how many';

COMMENT ON COLUMN "public"."counts"."n" IS 'users';

COMMENT ON VIEW "public"."names" IS 'Every user''s name';

COMMENT ON COLUMN "public"."names"."name" IS 'as typed';
