CREATE OR REPLACE VIEW "public"."actor_info" AS
SELECT string_agg(actor.name, ', '::text ORDER BY actor.name) AS names
   FROM public.actor;

DROP AGGREGATE "public"."group_concat"(text);

DROP FUNCTION "public"."_group_concat"(text, text);
