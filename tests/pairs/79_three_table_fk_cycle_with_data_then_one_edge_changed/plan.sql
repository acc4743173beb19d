-- strata: ACCESS EXCLUSIVE lock on "public"."a"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."a" ALTER COLUMN "id" TYPE bigint USING "id"::bigint;

CREATE TABLE "public"."d" (
    "id" integer NOT NULL,
    "a_id" bigint,
    "c_id" integer,
    CONSTRAINT "d_pkey" PRIMARY KEY (id),
    CONSTRAINT "d_a_id_fkey" FOREIGN KEY (a_id) REFERENCES public.a(id),
    CONSTRAINT "d_c_id_fkey" FOREIGN KEY (c_id) REFERENCES public.c(id)
);

-- strata: ACCESS EXCLUSIVE lock on "public"."c"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."c" ALTER COLUMN "a_id" TYPE bigint USING "a_id"::bigint;

-- strata: SHARE ROW EXCLUSIVE lock on "public"."a" and "public"."b" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."a" ADD CONSTRAINT "a_b_id_fkey" FOREIGN KEY (b_id) REFERENCES public.b(id);

-- strata: SHARE ROW EXCLUSIVE lock on "public"."b" and "public"."c" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."b" ADD CONSTRAINT "b_c_id_fkey" FOREIGN KEY (c_id) REFERENCES public.c(id) ON DELETE SET NULL;

-- strata: SHARE ROW EXCLUSIVE lock on "public"."c" and "public"."a" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."c" ADD CONSTRAINT "c_a_id_fkey" FOREIGN KEY (a_id) REFERENCES public.a(id) DEFERRABLE INITIALLY DEFERRED;
