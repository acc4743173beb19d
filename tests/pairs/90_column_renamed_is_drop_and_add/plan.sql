-- strata: ACCESS EXCLUSIVE lock on "public"."users"; brief
ALTER TABLE "public"."users" DROP CONSTRAINT "users_mail_key";

-- strata: ACCESS EXCLUSIVE lock on "public"."users"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."users_lower_idx";

-- strata: ACCESS EXCLUSIVE lock on "public"."users"; brief (catalog change only)
ALTER TABLE "public"."users" ADD COLUMN "email" text;

-- strata: ACCESS EXCLUSIVE lock on "public"."users" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."users" ADD CONSTRAINT "users_email_key" UNIQUE (email);

-- strata: SHARE lock on "public"."users" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "users_lower_idx" ON "public"."users" USING btree (lower(email));

-- DESTRUCTIVE: drops column users.mail and its data
-- strata: ACCESS EXCLUSIVE lock on "public"."users"; brief (catalog change only)
ALTER TABLE "public"."users" DROP COLUMN "mail";
