-- strata: ACCESS EXCLUSIVE lock on "public"."bookings" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."bookings" ADD CONSTRAINT "bookings_no_overlap" EXCLUDE USING gist (during WITH &&) WHERE ((room IS NOT NULL));
