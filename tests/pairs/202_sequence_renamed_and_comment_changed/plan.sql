-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."s_old", brief; code using the old name breaks
ALTER SEQUENCE "public"."s_old" RENAME TO "s_new";

COMMENT ON SEQUENCE "public"."s_new" IS 'after';
