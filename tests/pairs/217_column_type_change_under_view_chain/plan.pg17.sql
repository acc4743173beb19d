-- strata: view v3 is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."v3";

-- strata: view v2 is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."v2";

-- strata: view v1 is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."v1";

-- strata: ACCESS EXCLUSIVE lock on "public"."accounts"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."accounts" ALTER COLUMN "balance" TYPE bigint USING "balance"::bigint;

-- strata: view v1 is created again: grants on it are not restored
CREATE VIEW "public"."v1" AS
SELECT id,
    balance
   FROM public.accounts;

-- strata: view v2 is created again: grants on it are not restored
CREATE VIEW "public"."v2" AS
SELECT id,
    (balance * 2) AS doubled
   FROM public.v1;

-- strata: view v3 is created again: grants on it are not restored
CREATE VIEW "public"."v3" AS
SELECT sum(doubled) AS total
   FROM public.v2;
