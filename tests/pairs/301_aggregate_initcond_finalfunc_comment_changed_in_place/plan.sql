CREATE OR REPLACE AGGREGATE "public"."group_concat"(text) (
    SFUNC = public._group_concat,
    STYPE = text,
    INITCOND = 'it''s: ',
    FINALFUNC = pg_catalog.upper
);

COMMENT ON AGGREGATE "public"."group_concat"(text) IS 'After';
