-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" DROP CONSTRAINT "t_a";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" DROP CONSTRAINT "t_b";

-- strata: ACCESS EXCLUSIVE lock on "public"."t" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."t" ADD CONSTRAINT "t_a" CHECK ((a >= 0));

-- strata: ACCESS EXCLUSIVE lock on "public"."t" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."t" ADD CONSTRAINT "t_a_check" CHECK ((a < 100));
