-- strata: ACCESS EXCLUSIVE lock on "public"."lines"; replica identity
ALTER TABLE "public"."lines" REPLICA IDENTITY NOTHING;

-- strata: ACCESS EXCLUSIVE lock on "public"."orders"; replica identity
ALTER TABLE "public"."orders" REPLICA IDENTITY USING INDEX "orders_code_key";

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."orders"; clustering index
ALTER TABLE "public"."orders" CLUSTER ON "orders_pkey";
