-- strata: view old_ids_2 is dropped: queries using it fail until it exists again
DROP VIEW "public"."old_ids_2";

-- strata: view old_ids is dropped: queries using it fail until it exists again
DROP VIEW "public"."old_ids";

-- DESTRUCTIVE: drops table old and all its rows
DROP TABLE "public"."old";
