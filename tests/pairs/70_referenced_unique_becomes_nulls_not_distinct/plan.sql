-- strata: ACCESS EXCLUSIVE lock on "public"."child"; brief
ALTER TABLE "public"."child" DROP CONSTRAINT "child_code_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."parent"; brief
ALTER TABLE "public"."parent" DROP CONSTRAINT "parent_code_key";

-- strata: ACCESS EXCLUSIVE lock on "public"."parent" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."parent" ADD CONSTRAINT "parent_code_key" UNIQUE NULLS NOT DISTINCT (code);

-- strata: SHARE ROW EXCLUSIVE lock on "public"."child" and "public"."parent" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."child" ADD CONSTRAINT "child_code_fkey" FOREIGN KEY (code) REFERENCES public.parent(code);
