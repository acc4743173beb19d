-- strata: ACCESS EXCLUSIVE lock on "public"."nodes"; brief
ALTER TABLE "public"."nodes" DROP CONSTRAINT "nodes_parent_id_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."nodes"; brief
ALTER TABLE "public"."nodes" DROP CONSTRAINT "nodes_id_key";

-- strata: ACCESS EXCLUSIVE lock on "public"."nodes" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."nodes" ADD CONSTRAINT "nodes_pkey" PRIMARY KEY (id);

-- strata: SHARE ROW EXCLUSIVE lock on "public"."nodes" and "public"."nodes" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."nodes" ADD CONSTRAINT "nodes_parent_id_fkey" FOREIGN KEY (parent_id) REFERENCES public.nodes(id);
