CREATE OR REPLACE VIEW "public"."active_users" AS
SELECT id,
    name,
    email
   FROM public.users
  WHERE (active AND (email IS NOT NULL));
