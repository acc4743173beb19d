-- strata: ACCESS EXCLUSIVE lock on "public"."measurement"; brief (catalog change only)
ALTER TABLE "public"."measurement" ADD COLUMN "unitsales" integer DEFAULT 0 NOT NULL;
