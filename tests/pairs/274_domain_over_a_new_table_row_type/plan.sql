CREATE TABLE "public"."projects" (
    "id" integer NOT NULL,
    "name" text,
    CONSTRAINT "projects_pkey" PRIMARY KEY (id)
);

CREATE DOMAIN "public"."projects_domain" AS public.projects;

CREATE TYPE "public"."project_pair" AS ("a" public.projects, "b" public.projects);
