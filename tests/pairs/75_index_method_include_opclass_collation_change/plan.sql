-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."t_doc";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."t_email";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."t_multi";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."t_name";

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."t_score";

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_doc" ON "public"."t" USING gin (doc jsonb_path_ops);

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_email" ON "public"."t" USING btree (email text_pattern_ops);

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_multi" ON "public"."t" USING btree (name COLLATE "C", score DESC NULLS LAST);

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_name" ON "public"."t" USING hash (name);

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_score" ON "public"."t" USING btree (score) INCLUDE (name, email);
