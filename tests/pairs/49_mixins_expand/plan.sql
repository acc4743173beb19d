CREATE TABLE "public"."u" (
    "id" integer NOT NULL,
    "created_at" timestamp with time zone DEFAULT now() NOT NULL,
    "updated_at" timestamp with time zone,
    CONSTRAINT "u_pkey" PRIMARY KEY (id)
);

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "updated_at" timestamp with time zone;
