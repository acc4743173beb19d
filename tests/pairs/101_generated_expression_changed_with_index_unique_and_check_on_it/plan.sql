-- strata: ACCESS EXCLUSIVE lock on "public"."people"; brief
ALTER TABLE "public"."people" DROP CONSTRAINT "people_full_name_key";

-- strata: ACCESS EXCLUSIVE lock on "public"."people"; brief
ALTER TABLE "public"."people" DROP CONSTRAINT "full_name_len";

-- strata: ACCESS EXCLUSIVE lock on "public"."people"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."people_full_lower";

-- strata: full_name is recreated below (its generation expression, or the type of a column it uses, changed); values are recomputed
-- strata: ACCESS EXCLUSIVE lock on "public"."people"; brief (catalog change only)
ALTER TABLE "public"."people" DROP COLUMN "full_name";

-- strata: ACCESS EXCLUSIVE lock on "public"."people"; rewrites the table (the new column's values are computed per row)
ALTER TABLE "public"."people" ADD COLUMN "full_name" text GENERATED ALWAYS AS (((last || ', '::text) || first)) STORED;

-- strata: ACCESS EXCLUSIVE lock on "public"."people" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."people" ADD CONSTRAINT "people_full_name_key" UNIQUE (full_name);

-- strata: ACCESS EXCLUSIVE lock on "public"."people" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."people" ADD CONSTRAINT "full_name_len" CHECK ((length(full_name) < 200));

-- strata: SHARE lock on "public"."people" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "people_full_lower" ON "public"."people" USING btree (lower(full_name));
