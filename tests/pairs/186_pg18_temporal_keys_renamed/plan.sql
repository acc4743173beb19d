-- strata: ACCESS EXCLUSIVE lock on "public"."bookings"; brief
ALTER TABLE "public"."bookings" RENAME CONSTRAINT "bookings_id_during_key" TO "one_booking_at_a_time";

-- strata: ACCESS EXCLUSIVE lock on "public"."bookings"; brief
ALTER TABLE "public"."bookings" RENAME CONSTRAINT "bookings_room_id_during_fkey" TO "booked_room";

-- strata: ACCESS EXCLUSIVE lock on "public"."rooms"; brief
ALTER TABLE "public"."rooms" RENAME CONSTRAINT "rooms_pkey" TO "rooms_key";
