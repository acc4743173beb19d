-- strata: ACCESS EXCLUSIVE lock on "public"."child"; brief
ALTER TABLE "public"."child" DROP CONSTRAINT "child_parent_id_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."parent"; brief
ALTER TABLE "public"."parent" DROP CONSTRAINT "parent_pkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."parent"; brief (catalog change only)
ALTER TABLE "public"."parent" ADD COLUMN "code" text;

-- strata: ACCESS EXCLUSIVE lock on "public"."parent" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."parent" ADD CONSTRAINT "parent_id_key" UNIQUE (id);

-- strata: SHARE ROW EXCLUSIVE lock on "public"."child" and "public"."parent" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."child" ADD CONSTRAINT "child_parent_id_fkey" FOREIGN KEY (parent_id) REFERENCES public.parent(id);
