-- strata: ACCESS EXCLUSIVE lock on "public"."bookings"; brief
ALTER TABLE "public"."bookings" DROP CONSTRAINT "bookings_room";

-- strata: SHARE ROW EXCLUSIVE lock on "public"."bookings" and "public"."rooms" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."bookings" ADD CONSTRAINT "bookings_room" FOREIGN KEY (room_id, PERIOD during) REFERENCES public.rooms(id, PERIOD during);
