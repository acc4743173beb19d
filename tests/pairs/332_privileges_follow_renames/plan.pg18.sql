-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."customers", brief; code using the old name breaks
ALTER TABLE "public"."customers" RENAME TO "clients";

ALTER SEQUENCE "public"."customers_id_seq" RENAME TO "clients_id_seq";

-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."clients", brief; code using the old name breaks
ALTER TABLE "public"."clients" RENAME COLUMN "mail" TO "email";

-- strata: ACCESS EXCLUSIVE lock on "public"."clients"; brief
ALTER TABLE "public"."clients" RENAME CONSTRAINT "customers_pkey" TO "clients_pkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."clients"; brief
ALTER TABLE "public"."clients" RENAME CONSTRAINT "customers_id_not_null" TO "clients_id_not_null";

-- strata: Priv Writer loses DELETE on table clients
REVOKE DELETE ON TABLE "public"."clients" FROM "Priv Writer";
