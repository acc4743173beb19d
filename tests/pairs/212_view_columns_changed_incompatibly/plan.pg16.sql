-- strata: view active_names is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."active_names";

-- strata: view active_users is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."active_users";

-- strata: view active_users is created again: grants on it are not restored
CREATE VIEW "public"."active_users" AS
SELECT name,
    (id)::text AS id
   FROM public.users
  WHERE active;

-- strata: view active_names is created again: grants on it are not restored
CREATE VIEW "public"."active_names" AS
SELECT name
   FROM public.active_users;
