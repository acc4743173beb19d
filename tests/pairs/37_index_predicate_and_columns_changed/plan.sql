-- strata: ACCESS EXCLUSIVE lock on "public"."jobs"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."idx_jobs";

-- strata: SHARE lock on "public"."jobs" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "idx_jobs" ON "public"."jobs" USING btree (status, priority DESC) WHERE (status = ANY (ARRAY['pending'::text, 'running'::text]));
