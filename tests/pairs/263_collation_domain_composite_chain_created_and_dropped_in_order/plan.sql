CREATE TYPE "public"."unit" AS ENUM ('g', 'kg');

CREATE DOMAIN "public"."weight" AS numeric(8,2) CONSTRAINT "weight_check" CHECK ((VALUE >= (0)::numeric));

CREATE TYPE "public"."weightrange" AS RANGE (SUBTYPE = public.weight);

CREATE COLLATION "public"."bytes" (LOCALE = 'C');

CREATE DOMAIN "public"."label" AS text COLLATE public.bytes CONSTRAINT "label_check" CHECK ((VALUE <> ''::text));

CREATE TYPE "public"."measure" AS ("label" public.label, "amount" public.weight, "unit" public.unit);

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "m" public.measure;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "ms" public.measure[];

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "w" public.weightrange;
