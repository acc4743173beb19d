-- strata: ACCESS EXCLUSIVE lock on "public"."measurement"; brief; DETACH PARTITION … CONCURRENTLY (outside a transaction) avoids it
ALTER TABLE "public"."measurement" DETACH PARTITION "public"."measurement_h1";

-- strata: ATTACH PARTITION fails when a row of the partition lies outside its new bound (every row is scanned under ACCESS EXCLUSIVE on the partition, unless a CHECK constraint already proves the bound)
-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."measurement"; a DEFAULT partition of it is scanned under ACCESS EXCLUSIVE for rows of the new bound
-- strata: to attach measurement_h1 without scanning it under ACCESS EXCLUSIVE, give it first, in earlier migrations, the check `logdate IS NOT NULL AND logdate >= '2024-01-01' AND logdate < '2025-01-01'` with `not_valid: true`, then without it (VALIDATE CONSTRAINT: SHARE UPDATE EXCLUSIVE, reads and writes go on); ATTACH then trusts it and skips the scan
ALTER TABLE "public"."measurement" ATTACH PARTITION "public"."measurement_h1" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
