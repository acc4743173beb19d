-- strata: ACCESS EXCLUSIVE lock on "public"."measurement"; a DEFAULT partition of it is scanned for rows of the new bound; on a busy table create the table alone and ATTACH PARTITION it (SHARE UPDATE EXCLUSIVE)
CREATE TABLE "public"."measurement_2025" PARTITION OF "public"."measurement" FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
