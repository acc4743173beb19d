-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."users", brief; code using the old name breaks
ALTER TABLE "public"."users" RENAME COLUMN "mail" TO "email";

-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."users", brief; code using the old name breaks
ALTER TABLE "public"."users" RENAME COLUMN "Full Name" TO "full_name";

-- strata: ACCESS EXCLUSIVE lock on "public"."users"; brief
ALTER TABLE "public"."users" RENAME CONSTRAINT "users_mail_key" TO "users_email_key";

-- strata: ACCESS EXCLUSIVE lock on "public"."users"; brief
ALTER TABLE "public"."users" RENAME CONSTRAINT "users_mail_not_null" TO "users_email_not_null";
