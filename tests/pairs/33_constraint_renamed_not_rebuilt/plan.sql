-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" RENAME CONSTRAINT "old_name" TO "new_name";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief
ALTER TABLE "public"."t" RENAME CONSTRAINT "old_check" TO "new_check";
