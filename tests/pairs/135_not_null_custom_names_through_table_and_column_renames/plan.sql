-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."customers", brief; code using the old name breaks
ALTER TABLE "public"."customers" RENAME TO "clients";

ALTER SEQUENCE "public"."customers_id_seq" RENAME TO "clients_id_seq";

-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."clients", brief; code using the old name breaks
ALTER TABLE "public"."clients" RENAME COLUMN "mail" TO "email";

-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."clients", brief; code using the old name breaks
ALTER TABLE "public"."clients" RENAME COLUMN "note" TO "remark";

-- strata: ACCESS EXCLUSIVE lock on "public"."clients"; brief
ALTER TABLE "public"."clients" RENAME CONSTRAINT "customers_pkey" TO "clients_pkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."clients"; brief
ALTER TABLE "public"."clients" RENAME CONSTRAINT "customers_id_not_null" TO "clients_id_not_null";

-- strata: ACCESS EXCLUSIVE lock on "public"."clients"; brief
ALTER TABLE "public"."clients" RENAME CONSTRAINT "mail_required" TO "email_required";

-- strata: ACCESS EXCLUSIVE lock on "public"."clients"; brief
ALTER TABLE "public"."clients" RENAME CONSTRAINT "customers_note_not_null" TO "clients_remark_not_null";
