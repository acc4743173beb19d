-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" DROP CONSTRAINT "t_v_range";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."t_clamped";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" ALTER COLUMN "c" DROP DEFAULT;

DROP FUNCTION "util"."clamp"(v integer, lo integer, hi integer);
