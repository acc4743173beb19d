-- strata: ACCESS EXCLUSIVE lock on "public"."measurement" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."measurement" ADD CONSTRAINT "measurement_pkey" PRIMARY KEY (city_id, logdate);

-- strata: SHARE lock on "public"."measurement" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "measurement_peaktemp_idx" ON "public"."measurement" USING btree (peaktemp);
