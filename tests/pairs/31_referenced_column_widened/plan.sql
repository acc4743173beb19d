-- strata: ACCESS EXCLUSIVE lock on "public"."child"; brief
ALTER TABLE "public"."child" DROP CONSTRAINT "child_parent_id_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."child"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."child" ALTER COLUMN "parent_id" TYPE bigint USING "parent_id"::bigint;

-- strata: ACCESS EXCLUSIVE lock on "public"."parent"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."parent" ALTER COLUMN "id" TYPE bigint USING "id"::bigint;

-- strata: SHARE ROW EXCLUSIVE lock on "public"."child" and "public"."parent" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."child" ADD CONSTRAINT "child_parent_id_fkey" FOREIGN KEY (parent_id) REFERENCES public.parent(id);
