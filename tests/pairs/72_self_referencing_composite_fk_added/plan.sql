-- strata: SHARE ROW EXCLUSIVE lock on "public"."nodes" and "public"."nodes" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."nodes" ADD CONSTRAINT "nodes_tenant_parent_id_fkey" FOREIGN KEY (tenant, parent_id) REFERENCES public.nodes(tenant, id) ON DELETE CASCADE;
