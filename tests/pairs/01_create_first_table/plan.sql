CREATE TABLE "public"."t" (
    "id" integer NOT NULL,
    "name" text NOT NULL,
    CONSTRAINT "t_pkey" PRIMARY KEY (id)
);
