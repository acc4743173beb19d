-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "note" text;
