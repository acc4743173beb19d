-- DESTRUCTIVE: drops table measurement_2025 and all its rows
DROP TABLE "public"."measurement_2025";
