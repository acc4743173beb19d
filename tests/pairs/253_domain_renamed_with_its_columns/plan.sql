-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."posint", brief; code using the old name breaks
ALTER DOMAIN "public"."posint" RENAME TO "positive_int";
