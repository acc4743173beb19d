-- strata: ACCESS EXCLUSIVE lock on "public"."posts"; brief
ALTER TABLE "public"."posts" DROP CONSTRAINT "posts_tenant_id_author_id_fkey";

-- strata: SHARE ROW EXCLUSIVE lock on "public"."posts" and "public"."users" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."posts" ADD CONSTRAINT "posts_tenant_id_author_id_fkey" FOREIGN KEY (tenant_id, author_id) REFERENCES public.users(tenant_id, id) ON DELETE SET NULL (author_id);
