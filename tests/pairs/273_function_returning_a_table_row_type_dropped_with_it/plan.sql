DROP FUNCTION "public"."active_customers"();

-- DESTRUCTIVE: drops table customer and all its rows
DROP TABLE "public"."customer";
