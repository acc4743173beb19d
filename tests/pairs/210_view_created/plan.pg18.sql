CREATE SCHEMA "Reporting";

CREATE VIEW "public"."active_users" AS
SELECT id,
    name
   FROM public.users
  WHERE active;

CREATE VIEW "Reporting"."User Names" AS
SELECT upper(name) AS "Name"
   FROM public.active_users;
