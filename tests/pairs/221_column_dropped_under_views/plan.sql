-- strata: view everyone is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."everyone";

-- strata: view named is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."named";

-- strata: view everyone is created again: grants on it are not restored
CREATE VIEW "public"."everyone" AS
SELECT people.id,
    people.name
   FROM public.people;

-- strata: view named is created again: grants on it are not restored
CREATE VIEW "public"."named" AS
SELECT people.id,
    people.name
   FROM public.people;

-- DESTRUCTIVE: drops column people.nickname and its data
-- strata: ACCESS EXCLUSIVE lock on "public"."people"; brief (catalog change only)
ALTER TABLE "public"."people" DROP COLUMN "nickname";
