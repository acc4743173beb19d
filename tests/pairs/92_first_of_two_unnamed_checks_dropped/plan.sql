-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" DROP CONSTRAINT "t_x_check";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" DROP CONSTRAINT "t_x_check1";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" RENAME CONSTRAINT "t_x_check2" TO "t_x_check1";

-- strata: ACCESS EXCLUSIVE lock on "public"."t" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."t" ADD CONSTRAINT "t_x_check" CHECK ((x < 100));
