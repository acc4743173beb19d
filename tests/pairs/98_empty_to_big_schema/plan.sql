CREATE SCHEMA "app";

CREATE SCHEMA "audit";

CREATE EXTENSION IF NOT EXISTS "btree_gist";

CREATE EXTENSION IF NOT EXISTS "citext";

CREATE EXTENSION IF NOT EXISTS "pgcrypto";

CREATE TYPE "app"."role" AS ENUM ('owner', 'admin', 'member');

CREATE TYPE "public"."status" AS ENUM ('draft', 'live', 'archived');

CREATE TABLE "app"."orgs" (
    "id" bigint GENERATED ALWAYS AS IDENTITY,
    "name" public.citext NOT NULL,
    "owner_id" bigint,
    "slug" character varying(40) NOT NULL,
    "created_at" timestamp with time zone DEFAULT now() NOT NULL,
    "updated_at" timestamp with time zone,
    CONSTRAINT "orgs_pkey" PRIMARY KEY (id),
    CONSTRAINT "orgs_name_key" UNIQUE (name),
    CONSTRAINT "orgs_slug_check" CHECK (((slug)::text ~ '^[a-z0-9-]+$'::text))
);

CREATE TABLE "app"."users" (
    "id" bigint GENERATED ALWAYS AS IDENTITY,
    "org_id" bigint NOT NULL,
    "email" public.citext NOT NULL,
    "role" app.role DEFAULT 'member'::app.role NOT NULL,
    "uuid" uuid DEFAULT gen_random_uuid() NOT NULL,
    "display" text GENERATED ALWAYS AS (lower((email)::text)) STORED,
    "created_at" timestamp with time zone DEFAULT now() NOT NULL,
    "updated_at" timestamp with time zone,
    CONSTRAINT "users_pkey" PRIMARY KEY (id),
    CONSTRAINT "users_org_id_email_key" UNIQUE (org_id, email),
    CONSTRAINT "users_uuid_key" UNIQUE (uuid),
    CONSTRAINT "users_org_id_fkey" FOREIGN KEY (org_id) REFERENCES app.orgs(id) ON DELETE CASCADE
);

CREATE TABLE "app"."docs" (
    "id" bigint GENERATED ALWAYS AS IDENTITY,
    "org_id" bigint NOT NULL,
    "author_id" bigint,
    "parent_id" bigint,
    "status" public.status DEFAULT 'draft'::public.status NOT NULL,
    "body" jsonb DEFAULT '{}'::jsonb NOT NULL,
    "tags" text[] DEFAULT '{}'::text[] NOT NULL,
    "valid" tstzrange,
    "created_at" timestamp with time zone DEFAULT now() NOT NULL,
    "updated_at" timestamp with time zone,
    CONSTRAINT "docs_pkey" PRIMARY KEY (id),
    CONSTRAINT "docs_org_id_valid_excl" EXCLUDE USING gist (org_id WITH =, valid WITH &&) WHERE ((status = 'live'::public.status)),
    CONSTRAINT "docs_author_id_fkey" FOREIGN KEY (author_id) REFERENCES app.users(id),
    CONSTRAINT "docs_org_id_fkey" FOREIGN KEY (org_id) REFERENCES app.orgs(id) ON DELETE CASCADE,
    CONSTRAINT "docs_parent_id_fkey" FOREIGN KEY (parent_id) REFERENCES app.docs(id)
);

CREATE TABLE "audit"."log" (
    "id" bigserial,
    "at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    "doc_id" bigint,
    "who" bigint,
    "what" text NOT NULL,
    CONSTRAINT "log_pkey" PRIMARY KEY (id),
    CONSTRAINT "log_doc_id_fkey" FOREIGN KEY (doc_id) REFERENCES app.docs(id) ON DELETE SET NULL,
    CONSTRAINT "log_who_fkey" FOREIGN KEY (who) REFERENCES app.users(id)
);

CREATE INDEX "docs_body_idx" ON "app"."docs" USING gin (body);

CREATE INDEX "docs_created_at_idx" ON "app"."docs" USING btree (created_at DESC);

CREATE INDEX "docs_org_id_status_author_id_idx" ON "app"."docs" USING btree (org_id, status) INCLUDE (author_id);

CREATE INDEX "orgs_created_at_idx" ON "app"."orgs" USING btree (created_at DESC);

CREATE INDEX "users_created_at_idx" ON "app"."users" USING btree (created_at DESC);

CREATE INDEX "users_role_idx" ON "app"."users" USING btree (role) WHERE (role <> 'member'::app.role);

ALTER TABLE "app"."orgs" ADD CONSTRAINT "orgs_owner_id_fkey" FOREIGN KEY (owner_id) REFERENCES app.users(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;

COMMENT ON SCHEMA "app" IS 'App''s objects';

COMMENT ON TYPE "public"."status" IS 'Lifecycle';

COMMENT ON TABLE "audit"."log" IS 'Append-only';
