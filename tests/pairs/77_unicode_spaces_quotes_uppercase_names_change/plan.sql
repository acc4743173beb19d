-- strata: ACCESS EXCLUSIVE lock on "public"."Commandes"; brief
ALTER TABLE "public"."Commandes" DROP CONSTRAINT "Commandes_client Id_fkey";

-- strata: ACCESS EXCLUSIVE lock on "Données"."Clients Été"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "Données"."Clients Été_année_idx";

-- strata: ACCESS EXCLUSIVE lock on "Données"."Clients Été"; brief (catalog change only)
ALTER TABLE "Données"."Clients Été" ADD COLUMN "ÉTAT" text DEFAULT 'nouveau'::text;

-- strata: ACCESS EXCLUSIVE lock on "Données"."Clients Été"; rewrites the table and rebuilds its indexes
ALTER TABLE "Données"."Clients Été" ALTER COLUMN "Id" TYPE bigint USING "Id"::bigint;

-- strata: ACCESS EXCLUSIVE lock on "Données"."Clients Été"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "Données"."Clients Été" ALTER COLUMN "Nom ""complet""" SET NOT NULL;

-- DESTRUCTIVE: changes Données.Clients Été.année from integer to smallint: a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "Données"."Clients Été"; rewrites the table and rebuilds its indexes
ALTER TABLE "Données"."Clients Été" ALTER COLUMN "année" TYPE smallint USING "année"::smallint;

-- strata: ACCESS EXCLUSIVE lock on "public"."Commandes"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."Commandes" ALTER COLUMN "ID" TYPE bigint USING "ID"::bigint;

-- strata: ACCESS EXCLUSIVE lock on "public"."Commandes"; brief
ALTER SEQUENCE "public"."Commandes_ID_seq" AS bigint INCREMENT BY 1 NO MINVALUE NO MAXVALUE START WITH 1 CACHE 1 NO CYCLE;

-- strata: ACCESS EXCLUSIVE lock on "public"."Commandes"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."Commandes" ALTER COLUMN "client Id" TYPE bigint USING "client Id"::bigint;

-- strata: ACCESS EXCLUSIVE lock on "Données"."Clients Été" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "Données"."Clients Été" ADD CONSTRAINT "Clients Été_Nom ""complet""_key" UNIQUE ("Nom ""complet""");

-- strata: ACCESS EXCLUSIVE lock on "Données"."Clients Été" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "Données"."Clients Été" ADD CONSTRAINT "Clients Été_année_check" CHECK (("année" > 1900));

-- strata: SHARE lock on "Données"."Clients Été" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "Clients Été_année_Nom ""complet""_idx" ON "Données"."Clients Été" USING btree ("année", "Nom ""complet""");

-- strata: SHARE ROW EXCLUSIVE lock on "public"."Commandes" and "Données"."Clients Été" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."Commandes" ADD CONSTRAINT "Commandes_client Id_fkey" FOREIGN KEY ("client Id") REFERENCES "Données"."Clients Été"("Id") ON DELETE CASCADE;

COMMENT ON TABLE "public"."Commandes" IS 'L''été "chaud"';
