-- strata: ACCESS EXCLUSIVE lock on "public"."bookings"; brief
ALTER TABLE "public"."bookings" DROP CONSTRAINT "no_overlap";

-- strata: ACCESS EXCLUSIVE lock on "public"."bookings"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."bookings" ALTER COLUMN "room" TYPE bigint USING "room"::bigint;

-- strata: ACCESS EXCLUSIVE lock on "public"."bookings" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."bookings" ADD CONSTRAINT "no_overlap" EXCLUDE USING gist (room WITH =, during WITH &&) WHERE ((NOT cancelled));
