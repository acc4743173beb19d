-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."jobs" ALTER COLUMN "status" TYPE text USING "status"::text::text;

-- DESTRUCTIVE: drops enum type status
DROP TYPE "public"."status";

CREATE TABLE "public"."status" (
    "code" text NOT NULL,
    "label" text,
    CONSTRAINT "status_pkey" PRIMARY KEY (code)
);

-- strata: SHARE ROW EXCLUSIVE lock on "public"."jobs" and "public"."status" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."jobs" ADD CONSTRAINT "jobs_status_fkey" FOREIGN KEY (status) REFERENCES public.status(code);
