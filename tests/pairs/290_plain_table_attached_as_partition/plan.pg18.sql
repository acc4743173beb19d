ALTER TABLE "public"."measurement_2023" RENAME CONSTRAINT "measurement_2023_city_id_not_null" TO "measurement_city_id_not_null";

ALTER TABLE "public"."measurement_2023" RENAME CONSTRAINT "measurement_2023_logdate_not_null" TO "measurement_logdate_not_null";

-- strata: ATTACH PARTITION fails unless the table has exactly the parent's columns (same types, NOT NULL where the parent's are) and the parent's CHECK constraints (same names), or when a row lies outside the bound (every row is scanned under ACCESS EXCLUSIVE on the table unless a CHECK constraint proves the bound; indexes of the parent the table lacks are built)
-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."measurement"; a DEFAULT partition of it is scanned under ACCESS EXCLUSIVE for rows of the new bound
-- strata: to attach measurement_2023 without scanning it under ACCESS EXCLUSIVE, give it first, in earlier migrations, the check `logdate IS NOT NULL AND logdate >= '2023-01-01' AND logdate < '2024-01-01'` with `not_valid: true`, then without it (VALIDATE CONSTRAINT: SHARE UPDATE EXCLUSIVE, reads and writes go on); ATTACH then trusts it and skips the scan
ALTER TABLE "public"."measurement" ATTACH PARTITION "public"."measurement_2023" FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
