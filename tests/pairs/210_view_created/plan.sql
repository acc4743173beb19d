CREATE SCHEMA "Reporting";

CREATE VIEW "public"."active_users" AS
SELECT users.id,
    users.name
   FROM public.users
  WHERE users.active;

CREATE VIEW "Reporting"."User Names" AS
SELECT upper(active_users.name) AS "Name"
   FROM public.active_users;
