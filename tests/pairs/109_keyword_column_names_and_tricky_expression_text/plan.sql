-- strata: ACCESS EXCLUSIVE lock on "public"."notes"; brief (catalog change only)
ALTER TABLE "public"."notes" ADD COLUMN "nulls" text DEFAULT 'unique references t'::text;

-- strata: ACCESS EXCLUSIVE lock on "public"."notes"; brief (catalog change only)
ALTER TABLE "public"."notes" ADD COLUMN "asc" integer;

-- strata: ACCESS EXCLUSIVE lock on "public"."notes"; brief (catalog change only)
ALTER TABLE "public"."notes" ADD COLUMN "check" text;

-- strata: ACCESS EXCLUSIVE lock on "public"."notes"; brief (catalog change only)
ALTER TABLE "public"."notes" ADD COLUMN "default" timestamp without time zone DEFAULT (now() AT TIME ZONE 'utc'::text);

-- strata: ACCESS EXCLUSIVE lock on "public"."notes"; brief
ALTER TABLE "public"."notes" ALTER COLUMN "desc" SET DEFAULT ' # not null default x: y '::text;

-- strata: rows where the column is NULL get its default before NOT NULL is set
-- strata: ACCESS EXCLUSIVE lock on "public"."notes"; updates those rows
UPDATE "public"."notes" SET "desc" = DEFAULT WHERE "desc" IS NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."notes"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."notes" ALTER COLUMN "desc" SET NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."notes" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."notes" ADD CONSTRAINT "notes_asc_check" CHECK ((("asc" > 0) AND ('a: b'::text <> 'c # d'::text)));

-- strata: SHARE lock on "public"."notes" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "notes_check_idx" ON "public"."notes" USING btree ("check") WHERE ("check" <> 'where: x'::text);

-- strata: SHARE lock on "public"."notes" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "notes_coalesce_idx" ON "public"."notes" USING btree (COALESCE(nulls, 'x desc nulls last'::text));

-- strata: SHARE lock on "public"."notes" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "notes_desc_idx" ON "public"."notes" USING btree ("desc");

-- strata: SHARE lock on "public"."notes" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "notes_nulls_asc_idx" ON "public"."notes" USING btree (nulls DESC, "asc" NULLS FIRST);
