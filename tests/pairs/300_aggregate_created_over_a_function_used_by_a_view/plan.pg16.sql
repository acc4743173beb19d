CREATE AGGREGATE "public"."group_concat"(text) (
    SFUNC = public._group_concat,
    STYPE = text
);

CREATE VIEW "public"."actor_info" AS
SELECT public.group_concat(name ORDER BY name) AS names
   FROM public.actor;

COMMENT ON AGGREGATE "public"."group_concat"(text) IS 'Comma-separated, in input order';
