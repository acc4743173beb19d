CREATE TYPE "public"."mood" AS ENUM ('ok', 'not ok');

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (catalog change only)
ALTER TABLE "public"."t" ADD COLUMN "m" public.mood;

-- strata: ACCESS EXCLUSIVE lock on "public"."t" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."t" ADD CONSTRAINT "path_nonempty" CHECK ((path <> ''::text));

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_path" ON "public"."t" USING btree (path);

COMMENT ON TYPE "public"."mood" IS 'mood''s "values"
line two';

COMMENT ON CONSTRAINT "path_nonempty" ON "public"."t" IS 'paths can''t be empty';

COMMENT ON INDEX "public"."t_path" IS 'index '';'' comment';

COMMENT ON COLUMN "public"."t"."id" IS 'it''''s the id';

COMMENT ON COLUMN "public"."t"."path" IS E'C:\\temp\\new\\n (literal backslash-n)';

COMMENT ON COLUMN "public"."t"."m" IS E'E''\\x41'' is not an escape here';

COMMENT ON TABLE "public"."t" IS E'Line one
Line ''two'' with \\backslash\\ and "quotes"
	tabbed; -- not a comment $$ dollar $$';
