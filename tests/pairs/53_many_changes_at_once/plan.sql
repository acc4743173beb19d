-- strata: ACCESS EXCLUSIVE lock on "public"."molecules"; brief
ALTER TABLE "public"."molecules" DROP CONSTRAINT "molecules_organization_id_fkey";

CREATE TYPE "public"."job_status" AS ENUM ('pending', 'running', 'done', 'failed');

CREATE TABLE "public"."docking_jobs" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "molecule_id" integer NOT NULL,
    "status" public.job_status DEFAULT 'pending'::public.job_status NOT NULL,
    "priority" integer DEFAULT 0 NOT NULL,
    CONSTRAINT "docking_jobs_pkey" PRIMARY KEY (id),
    CONSTRAINT "docking_jobs_molecule_id_fkey" FOREIGN KEY (molecule_id) REFERENCES public.molecules(id) ON DELETE CASCADE
);

-- strata: ACCESS EXCLUSIVE lock on "public"."molecules"; brief (catalog change only)
ALTER TABLE "public"."molecules" ADD COLUMN "molecular_weight" numeric(10,3);

-- strata: ACCESS EXCLUSIVE lock on "public"."molecules"; brief (catalog change only)
ALTER TABLE "public"."molecules" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."organizations"; brief (catalog change only)
ALTER TABLE "public"."organizations" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."molecules"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."molecules" ALTER COLUMN "organization_id" SET NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."molecules"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."molecules" ALTER COLUMN "smiles" SET NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."organizations"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."organizations" ALTER COLUMN "name" SET NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."molecules" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."molecules" ADD CONSTRAINT "molecules_molecular_weight_check" CHECK ((molecular_weight > (0)::numeric));

CREATE INDEX "docking_jobs_status_priority_idx" ON "public"."docking_jobs" USING btree (status, priority DESC) WHERE (status = ANY (ARRAY['pending'::public.job_status, 'running'::public.job_status]));

-- strata: SHARE lock on "public"."molecules" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "molecules_organization_id_created_at_idx" ON "public"."molecules" USING btree (organization_id, created_at DESC);

-- strata: SHARE ROW EXCLUSIVE lock on "public"."molecules" and "public"."organizations" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."molecules" ADD CONSTRAINT "molecules_organization_id_fkey" FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;
