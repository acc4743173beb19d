-- strata: ACCESS EXCLUSIVE lock on "public"."events"; brief; fails if a foreign key still references rows of the partition
ALTER TABLE "public"."events" DETACH PARTITION "public"."events_2";

-- DESTRUCTIVE: drops table events_2 and all its rows
DROP TABLE "public"."events_2";
