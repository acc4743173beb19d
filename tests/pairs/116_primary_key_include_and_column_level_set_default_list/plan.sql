-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief
ALTER TABLE "public"."items" DROP CONSTRAINT "items_Parent Id_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief
ALTER TABLE "public"."items" DROP CONSTRAINT "items_pkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief
ALTER TABLE "public"."items" DROP CONSTRAINT "items_note_id_key";

-- strata: ACCESS EXCLUSIVE lock on "public"."items" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."items" ADD CONSTRAINT "items_pkey" PRIMARY KEY (id) INCLUDE (note);

-- strata: ACCESS EXCLUSIVE lock on "public"."items" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."items" ADD CONSTRAINT "items_note_id_Parent Id_key" UNIQUE (note) INCLUDE (id, "Parent Id");

-- strata: SHARE ROW EXCLUSIVE lock on "public"."items" and "public"."parents" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."items" ADD CONSTRAINT "items_Parent Id_fkey" FOREIGN KEY ("Parent Id") REFERENCES public.parents(id) ON DELETE SET DEFAULT ("Parent Id");
