-- strata: ACCESS EXCLUSIVE lock on "public"."a"; brief; the column's sequence is dropped
ALTER TABLE "public"."a" ALTER COLUMN "id" DROP DEFAULT;

DROP SEQUENCE "public"."a_id_seq";

-- strata: ACCESS EXCLUSIVE lock on "public"."a"; brief
ALTER TABLE "public"."a" ALTER COLUMN "id" ADD GENERATED ALWAYS AS IDENTITY;

SELECT setval(pg_get_serial_sequence('"public"."a"', 'id'), max("id")) FROM "public"."a" HAVING max("id") IS NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."b"; brief
ALTER TABLE "public"."b" ALTER COLUMN "id" DROP IDENTITY;

-- strata: ACCESS EXCLUSIVE lock on "public"."b"; brief
CREATE SEQUENCE "public"."b_id_seq" AS integer OWNED BY "public"."b"."id";

ALTER TABLE "public"."b" ALTER COLUMN "id" SET DEFAULT nextval('"public"."b_id_seq"'::regclass);

SELECT setval('"public"."b_id_seq"', max("id")) FROM "public"."b" HAVING max("id") IS NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."c"; brief
ALTER TABLE "public"."c" ALTER COLUMN "id" DROP IDENTITY;

-- strata: ACCESS EXCLUSIVE lock on "public"."c"; brief
CREATE SEQUENCE "public"."c_id_seq" AS bigint OWNED BY "public"."c"."id";

ALTER TABLE "public"."c" ALTER COLUMN "id" SET DEFAULT nextval('"public"."c_id_seq"'::regclass);

SELECT setval('"public"."c_id_seq"', max("id")) FROM "public"."c" HAVING max("id") IS NOT NULL;
