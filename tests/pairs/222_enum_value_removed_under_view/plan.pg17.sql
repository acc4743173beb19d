-- strata: view open_tickets is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."open_tickets";

-- DESTRUCTIVE: removes value(s) "new" from enum status: rows holding them make the conversion fail
ALTER TYPE "public"."status" RENAME TO "status__strata_old";

CREATE TYPE "public"."status" AS ENUM ('open', 'closed');

-- strata: ACCESS EXCLUSIVE lock on "public"."tickets"; rewrites the table
ALTER TABLE "public"."tickets" ALTER COLUMN "status" TYPE "public"."status" USING "status"::text::"public"."status";

-- strata: the old type, now unused
DROP TYPE "public"."status__strata_old";

-- strata: view open_tickets is created again: grants on it are not restored
CREATE VIEW "public"."open_tickets" AS
SELECT id,
    status
   FROM public.tickets
  WHERE (status <> 'closed'::public.status);
