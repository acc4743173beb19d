-- strata: ACCESS EXCLUSIVE lock on "public"."b"; brief
ALTER TABLE "public"."b" DROP CONSTRAINT "b_a_id_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."b"; brief
ALTER TABLE "public"."b" DROP CONSTRAINT "b_other_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."a"; brief
ALTER TABLE "public"."a" DROP CONSTRAINT "a_pos_key";

-- strata: ACCESS EXCLUSIVE lock on "public"."a" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."a" ADD CONSTRAINT "a_pos_key" UNIQUE (pos) DEFERRABLE INITIALLY DEFERRED;

-- strata: SHARE ROW EXCLUSIVE lock on "public"."b" and "public"."a" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."b" ADD CONSTRAINT "b_a_id_fkey" FOREIGN KEY (a_id) REFERENCES public.a(id);

-- strata: SHARE ROW EXCLUSIVE lock on "public"."b" and "public"."a" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."b" ADD CONSTRAINT "b_other_fkey" FOREIGN KEY (other) REFERENCES public.a(id) DEFERRABLE;
