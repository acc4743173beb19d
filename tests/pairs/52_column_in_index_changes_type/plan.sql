-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."t_code_lower";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (no rewrite needed)
ALTER TABLE "public"."t" ALTER COLUMN "code" TYPE text USING "code"::text;

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_code_lower" ON "public"."t" USING btree (lower(code));
