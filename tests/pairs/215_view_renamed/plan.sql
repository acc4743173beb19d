-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."cheap_items", brief; code using the old name breaks
ALTER VIEW "public"."cheap_items" RENAME TO "bargains";
