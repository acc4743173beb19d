-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" DROP CONSTRAINT "t_a_key";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."t_b_idx";

-- strata: ACCESS EXCLUSIVE lock on "public"."t" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."t" ADD CONSTRAINT "t_a_key" UNIQUE (a);

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE UNIQUE INDEX "t_b_idx" ON "public"."t" USING btree (b) NULLS NOT DISTINCT;
