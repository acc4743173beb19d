CREATE SCHEMA "app";

CREATE TYPE "app"."kind" AS ENUM ('p', 'q');

CREATE TYPE "public"."kind" AS ENUM ('x', 'y');

CREATE TABLE "app"."users" (
    "id" integer NOT NULL,
    "k" app.kind,
    "public_user_id" integer,
    "owner_id" integer,
    CONSTRAINT "users_pkey" PRIMARY KEY (id),
    CONSTRAINT "users_owner_id_fkey" FOREIGN KEY (owner_id) REFERENCES app.users(id)
);

CREATE TABLE "app"."things" (
    "id" integer NOT NULL,
    "user_id" integer,
    "k" public.kind DEFAULT 'y'::public.kind,
    CONSTRAINT "things_pkey" PRIMARY KEY (id),
    CONSTRAINT "things_user_id_fkey" FOREIGN KEY (user_id) REFERENCES app.users(id)
);

CREATE TABLE "public"."users" (
    "id" integer NOT NULL,
    "k" public.kind,
    "app_user_id" integer,
    CONSTRAINT "users_pkey" PRIMARY KEY (id),
    CONSTRAINT "users_app_user_id_fkey" FOREIGN KEY (app_user_id) REFERENCES app.users(id)
);

ALTER TABLE "app"."users" ADD CONSTRAINT "users_public_user_id_fkey" FOREIGN KEY (public_user_id) REFERENCES public.users(id);
