-- strata: ACCESS EXCLUSIVE lock on "public"."lines"; brief
ALTER TABLE "public"."lines" DROP CONSTRAINT "lines_invoice_id_fkey";

CREATE TABLE "billing"."invoices" (
    "id" integer NOT NULL,
    "total" numeric,
    CONSTRAINT "invoices_pkey" PRIMARY KEY (id)
);

-- strata: SHARE ROW EXCLUSIVE lock on "public"."lines" and "billing"."invoices" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."lines" ADD CONSTRAINT "lines_invoice_id_fkey" FOREIGN KEY (invoice_id) REFERENCES billing.invoices(id) ON DELETE CASCADE;

-- DESTRUCTIVE: drops table invoices and all its rows
DROP TABLE "public"."invoices";
