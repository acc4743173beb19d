-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."events"; storage parameters
ALTER TABLE "public"."events" SET ("autovacuum_enabled" = false, "fillfactor" = 70, "toast"."autovacuum_enabled" = false), RESET ("autovacuum_vacuum_scale_factor");

-- strata: ACCESS EXCLUSIVE lock on "public"."scratch"; SET UNLOGGED (from then on emptied by a crash and not replicated)
ALTER TABLE "public"."scratch" SET UNLOGGED;
