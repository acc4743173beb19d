CREATE TABLE "public"."child" (
    "id" integer NOT NULL,
    "parent_code" text,
    CONSTRAINT "child_pkey" PRIMARY KEY (id)
);

-- strata: ACCESS EXCLUSIVE lock on "public"."parent" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."parent" ADD CONSTRAINT "parent_code_key" UNIQUE (code);

ALTER TABLE "public"."child" ADD CONSTRAINT "child_parent_code_fkey" FOREIGN KEY (parent_code) REFERENCES public.parent(code);
