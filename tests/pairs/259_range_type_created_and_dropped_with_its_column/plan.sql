CREATE TYPE "public"."floatrange" AS RANGE (SUBTYPE = double precision, SUBTYPE_DIFF = float8mi);

CREATE TYPE "public"."timespan" AS RANGE (SUBTYPE = time without time zone, MULTIRANGE_TYPE_NAME = "public"."timespans");

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "r" public.floatrange;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "rs" public.floatmultirange;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "s" public.timespan;

COMMENT ON TYPE "public"."floatrange" IS 'floats';
