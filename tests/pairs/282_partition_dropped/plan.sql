-- strata: ACCESS EXCLUSIVE lock on "public"."measurement"; brief; fails if a foreign key still references rows of the partition
ALTER TABLE "public"."measurement" DETACH PARTITION "public"."measurement_2025";

-- DESTRUCTIVE: drops table measurement_2025 and all its rows
DROP TABLE "public"."measurement_2025";
