CREATE EXTENSION IF NOT EXISTS "btree_gist";

-- strata: ACCESS EXCLUSIVE lock on "public"."rooms" while the GiST index of the WITHOUT OVERLAPS key builds (it cannot be built CONCURRENTLY beforehand)
ALTER TABLE "public"."rooms" ADD CONSTRAINT "rooms_pkey" PRIMARY KEY (id, during WITHOUT OVERLAPS);

-- strata: ACCESS EXCLUSIVE lock on "public"."rooms" while the GiST index of the WITHOUT OVERLAPS key builds (it cannot be built CONCURRENTLY beforehand)
ALTER TABLE "public"."rooms" ADD CONSTRAINT "rooms_code_open_on_id_key" UNIQUE (code, open_on WITHOUT OVERLAPS) INCLUDE (id);

-- strata: SHARE ROW EXCLUSIVE lock on "public"."bookings" and "public"."rooms" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."bookings" ADD CONSTRAINT "bookings_room_id_during_fkey" FOREIGN KEY (room_id, PERIOD during) REFERENCES public.rooms(id, PERIOD during) DEFERRABLE;

COMMENT ON CONSTRAINT "rooms_pkey" ON "public"."rooms" IS 'one row per room and time';
