CREATE TABLE "public"."organizations" (
    "id" uuid NOT NULL,
    "created_by" uuid,
    CONSTRAINT "organizations_pkey" PRIMARY KEY (id)
);

CREATE TABLE "public"."users" (
    "id" uuid NOT NULL,
    "organization_id" uuid,
    CONSTRAINT "users_pkey" PRIMARY KEY (id),
    CONSTRAINT "users_organization_id_fkey" FOREIGN KEY (organization_id) REFERENCES public.organizations(id)
);

ALTER TABLE "public"."organizations" ADD CONSTRAINT "organizations_created_by_fkey" FOREIGN KEY (created_by) REFERENCES public.users(id);
