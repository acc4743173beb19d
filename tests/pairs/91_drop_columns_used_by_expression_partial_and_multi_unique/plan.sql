-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" DROP CONSTRAINT "t_a_b_key";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" DROP CONSTRAINT "t_keep_c_key";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" DROP CONSTRAINT "t_check";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."t_keep_idx";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."t_c_plus";

-- strata: ACCESS EXCLUSIVE lock on "public"."t" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."t" ADD CONSTRAINT "t_keep_a_key" UNIQUE (keep, a);

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_keep_idx" ON "public"."t" USING btree (keep);

-- DESTRUCTIVE: drops column t.b and its data
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" DROP COLUMN "b";

-- DESTRUCTIVE: drops column t.c and its data
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" DROP COLUMN "c";

-- DESTRUCTIVE: drops column t.deleted_at and its data
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" DROP COLUMN "deleted_at";
