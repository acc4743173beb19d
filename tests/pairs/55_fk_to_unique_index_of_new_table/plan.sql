CREATE TABLE "public"."child" (
    "id" integer NOT NULL,
    "parent_code" text,
    CONSTRAINT "child_pkey" PRIMARY KEY (id)
);

CREATE TABLE "public"."parent" (
    "id" integer NOT NULL,
    "code" text NOT NULL,
    CONSTRAINT "parent_pkey" PRIMARY KEY (id)
);

CREATE UNIQUE INDEX "parent_code_uidx" ON "public"."parent" USING btree (code);

ALTER TABLE "public"."child" ADD CONSTRAINT "child_parent_code_fkey" FOREIGN KEY (parent_code) REFERENCES public.parent(code);
