CREATE OR REPLACE VIEW "public"."active_users" AS
SELECT users.id,
    users.name,
    users.email
   FROM public.users
  WHERE (users.active AND (users.email IS NOT NULL));
