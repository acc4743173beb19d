-- strata: ACCESS EXCLUSIVE lock on "public"."child"; brief
ALTER TABLE "public"."child" DROP CONSTRAINT "child_parent_code_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."child"; brief
ALTER TABLE "public"."child" DROP CONSTRAINT "child_label_check";

-- strata: ACCESS EXCLUSIVE lock on "public"."child"; brief; DROP INDEX CONCURRENTLY avoids it
DROP INDEX "public"."child_upper_idx";

-- strata: ACCESS EXCLUSIVE lock on "public"."parent"; brief
ALTER TABLE "public"."parent" DROP CONSTRAINT "parent_code_check";

-- strata: ACCESS EXCLUSIVE lock on "public"."child"; brief
ALTER TABLE "public"."child" ALTER COLUMN "parent_code" DROP DEFAULT;

-- strata: ACCESS EXCLUSIVE lock on "public"."child"; brief (no rewrite needed)
ALTER TABLE "public"."child" ALTER COLUMN "parent_code" TYPE text USING "parent_code"::text;

-- strata: ACCESS EXCLUSIVE lock on "public"."child"; brief
ALTER TABLE "public"."child" ALTER COLUMN "parent_code" SET DEFAULT 'none'::text;

-- strata: ACCESS EXCLUSIVE lock on "public"."child"; brief
ALTER TABLE "public"."child" ALTER COLUMN "qty" DROP DEFAULT;

-- strata: ACCESS EXCLUSIVE lock on "public"."child"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."child" ALTER COLUMN "qty" TYPE integer USING "qty"::integer;

-- strata: ACCESS EXCLUSIVE lock on "public"."child"; brief
ALTER TABLE "public"."child" ALTER COLUMN "qty" SET DEFAULT 1;

-- strata: ACCESS EXCLUSIVE lock on "public"."child"; brief
ALTER TABLE "public"."child" ALTER COLUMN "label" DROP DEFAULT;

-- DESTRUCTIVE: changes child.label from text to character varying(50): a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."child"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."child" ALTER COLUMN "label" TYPE character varying(50);

-- strata: ACCESS EXCLUSIVE lock on "public"."child"; brief
ALTER TABLE "public"."child" ALTER COLUMN "label" SET DEFAULT 'x'::character varying;

-- strata: ACCESS EXCLUSIVE lock on "public"."parent"; brief (no rewrite needed)
ALTER TABLE "public"."parent" ALTER COLUMN "code" TYPE text USING "code"::text;

-- strata: ACCESS EXCLUSIVE lock on "public"."child" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."child" ADD CONSTRAINT "child_label_check" CHECK ((length((label)::text) < 50));

-- strata: ACCESS EXCLUSIVE lock on "public"."parent" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."parent" ADD CONSTRAINT "parent_code_check" CHECK ((code <> ''::text));

-- strata: SHARE lock on "public"."child" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "child_upper_idx" ON "public"."child" USING btree (upper((label)::text)) WHERE (qty > 1);

-- strata: SHARE ROW EXCLUSIVE lock on "public"."child" and "public"."parent" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."child" ADD CONSTRAINT "child_parent_code_fkey" FOREIGN KEY (parent_code) REFERENCES public.parent(code) ON UPDATE CASCADE;
