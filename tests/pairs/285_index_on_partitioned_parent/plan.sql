-- strata: ACCESS EXCLUSIVE lock on "public"."measurement" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."measurement" ADD CONSTRAINT "measurement_pkey" PRIMARY KEY (city_id, logdate);

-- strata: SHARE lock on "public"."measurement" and each partition blocks writes while the index builds on every partition; on busy tables create it ON ONLY the parent, build each partition's CONCURRENTLY and ATTACH it (a partitioned index cannot be built CONCURRENTLY)
CREATE INDEX "measurement_peaktemp_idx" ON "public"."measurement" USING btree (peaktemp);
