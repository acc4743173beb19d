CREATE TABLE "public"."parent" (
    "a" integer NOT NULL,
    "b" integer NOT NULL,
    CONSTRAINT "parent_pkey" PRIMARY KEY (a, b)
);

CREATE TABLE "public"."child" (
    "id" integer NOT NULL,
    "pa" integer,
    "pb" integer,
    CONSTRAINT "child_pkey" PRIMARY KEY (id),
    CONSTRAINT "child_pa_pb_fkey" FOREIGN KEY (pa, pb) REFERENCES public.parent(a, b) MATCH FULL ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
