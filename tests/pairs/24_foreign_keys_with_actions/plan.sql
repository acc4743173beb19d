-- strata: SHARE ROW EXCLUSIVE lock on "public"."child" and "public"."parent" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."child" ADD CONSTRAINT "child_parent_id_fkey" FOREIGN KEY (parent_id) REFERENCES public.parent(id) ON UPDATE RESTRICT ON DELETE CASCADE;
