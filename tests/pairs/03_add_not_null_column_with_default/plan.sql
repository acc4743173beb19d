-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "status" character varying(50) DEFAULT 'active'::character varying NOT NULL;
