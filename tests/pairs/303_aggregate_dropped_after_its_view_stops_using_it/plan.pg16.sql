CREATE OR REPLACE VIEW "public"."actor_info" AS
SELECT string_agg(name, ', '::text ORDER BY name) AS names
   FROM public.actor;

DROP AGGREGATE "public"."group_concat"(text);

DROP FUNCTION "public"."_group_concat"(text, text);
