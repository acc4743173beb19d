-- strata: ACCESS EXCLUSIVE lock on "public"."accounts"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."accounts_email_key";

-- strata: ACCESS EXCLUSIVE lock on "public"."profiles"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."profiles" ALTER COLUMN "b" SET NOT NULL;

-- strata: SHARE lock on "public"."accounts" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE UNIQUE INDEX "accounts_email_key" ON "public"."accounts" USING btree (email, id);

-- strata: SHARE lock on "public"."profiles" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE UNIQUE INDEX "profiles_b_key" ON "public"."profiles" USING btree (b);

-- strata: ACCESS EXCLUSIVE lock on "public"."accounts"; replica identity
ALTER TABLE "public"."accounts" REPLICA IDENTITY USING INDEX "accounts_email_key";

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."accounts"; clustering index
ALTER TABLE "public"."accounts" CLUSTER ON "accounts_email_key";

-- strata: ACCESS EXCLUSIVE lock on "public"."profiles"; replica identity
ALTER TABLE "public"."profiles" REPLICA IDENTITY USING INDEX "profiles_b_key";
