-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" DROP CONSTRAINT "t_a_key";

-- strata: ACCESS EXCLUSIVE lock on "public"."t" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."t" ADD CONSTRAINT "t_a_b_key" UNIQUE (a, b);

-- strata: ACCESS EXCLUSIVE lock on "public"."t" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."t" ADD CONSTRAINT "t_c_key" UNIQUE NULLS NOT DISTINCT (c);
