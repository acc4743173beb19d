-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_at_idx" ON "public"."t" USING brin (at);

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_at_score_idx" ON "public"."t" USING btree (at DESC NULLS LAST, score);

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_deleted_at_idx" ON "public"."t" USING btree (deleted_at) WHERE (deleted_at IS NULL);

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_doc_idx" ON "public"."t" USING gin (doc);

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_doc_path" ON "public"."t" USING gin (doc jsonb_path_ops);

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE UNIQUE INDEX "t_email_lower" ON "public"."t" USING btree (lower(email));

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_name_idx" ON "public"."t" USING hash (name);

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_name_nf" ON "public"."t" USING btree (name NULLS FIRST);

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_name_pattern" ON "public"."t" USING btree (name text_pattern_ops);

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_score_ff" ON "public"."t" USING btree (score) WITH (fillfactor='70');

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_score_name_idx" ON "public"."t" USING btree (score) INCLUDE (name);

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_tags_idx" ON "public"."t" USING gin (tags);
