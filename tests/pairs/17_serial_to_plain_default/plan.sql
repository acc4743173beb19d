-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief; the column's sequence is dropped
ALTER TABLE "public"."t" ALTER COLUMN "id" DROP DEFAULT;

DROP SEQUENCE "public"."t_id_seq";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" ALTER COLUMN "id" SET DEFAULT 0;
