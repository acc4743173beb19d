-- strata: ACCESS EXCLUSIVE lock on "public"."bookings"; brief
ALTER TABLE "public"."bookings" DROP CONSTRAINT "bookings_room_id_during_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."rooms"; brief
ALTER TABLE "public"."rooms" DROP CONSTRAINT "rooms_pkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."rooms"; brief
ALTER TABLE "public"."rooms" DROP CONSTRAINT "rooms_code_during_key";

-- strata: ACCESS EXCLUSIVE lock on "public"."rooms" while the GiST index of the WITHOUT OVERLAPS key builds (it cannot be built CONCURRENTLY beforehand)
ALTER TABLE "public"."rooms" ADD CONSTRAINT "rooms_pkey" PRIMARY KEY (id, during WITHOUT OVERLAPS);

-- strata: ACCESS EXCLUSIVE lock on "public"."rooms" while the GiST index of the WITHOUT OVERLAPS key builds (it cannot be built CONCURRENTLY beforehand)
ALTER TABLE "public"."rooms" ADD CONSTRAINT "rooms_code_during_key" UNIQUE (code, during WITHOUT OVERLAPS);

-- strata: SHARE ROW EXCLUSIVE lock on "public"."bookings" and "public"."rooms" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."bookings" ADD CONSTRAINT "bookings_room_id_during_fkey" FOREIGN KEY (room_id, PERIOD during) REFERENCES public.rooms(id, PERIOD during);
