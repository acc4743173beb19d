-- strata: ACCESS EXCLUSIVE lock on "public"."projects"; brief
ALTER TABLE "public"."projects" DROP CONSTRAINT "projects_org_id_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."tasks"; brief
ALTER TABLE "public"."tasks" DROP CONSTRAINT "tasks_org_id_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."tasks"; brief
ALTER TABLE "public"."tasks" DROP CONSTRAINT "tasks_org_id_project_n_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."tasks"; brief
ALTER TABLE "public"."tasks" DROP CONSTRAINT "tasks_owner_org_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."orgs"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."orgs" ALTER COLUMN "id" TYPE bigint USING "id"::bigint;

-- strata: ACCESS EXCLUSIVE lock on "public"."projects"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."projects" ALTER COLUMN "org_id" TYPE bigint USING "org_id"::bigint;

-- strata: ACCESS EXCLUSIVE lock on "public"."projects"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."projects" ALTER COLUMN "n" TYPE bigint USING "n"::bigint;

-- strata: ACCESS EXCLUSIVE lock on "public"."tasks"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."tasks" ALTER COLUMN "id" TYPE bigint USING "id"::bigint;

-- strata: ACCESS EXCLUSIVE lock on "public"."tasks"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."tasks" ALTER COLUMN "org_id" TYPE bigint USING "org_id"::bigint;

-- strata: ACCESS EXCLUSIVE lock on "public"."tasks"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."tasks" ALTER COLUMN "project_n" TYPE bigint USING "project_n"::bigint;

-- strata: ACCESS EXCLUSIVE lock on "public"."tasks"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."tasks" ALTER COLUMN "owner_org" TYPE bigint USING "owner_org"::bigint;

-- strata: SHARE ROW EXCLUSIVE lock on "public"."projects" and "public"."orgs" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."projects" ADD CONSTRAINT "projects_org_id_fkey" FOREIGN KEY (org_id) REFERENCES public.orgs(id) ON DELETE CASCADE;

-- strata: SHARE ROW EXCLUSIVE lock on "public"."tasks" and "public"."orgs" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."tasks" ADD CONSTRAINT "tasks_org_id_fkey" FOREIGN KEY (org_id) REFERENCES public.orgs(id);

-- strata: SHARE ROW EXCLUSIVE lock on "public"."tasks" and "public"."projects" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."tasks" ADD CONSTRAINT "tasks_org_id_project_n_fkey" FOREIGN KEY (org_id, project_n) REFERENCES public.projects(org_id, n);

-- strata: SHARE ROW EXCLUSIVE lock on "public"."tasks" and "public"."orgs" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."tasks" ADD CONSTRAINT "tasks_owner_org_fkey" FOREIGN KEY (owner_org) REFERENCES public.orgs(id) DEFERRABLE INITIALLY DEFERRED;
