-- strata: ACCESS EXCLUSIVE lock on "public"."t"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."t" ALTER COLUMN "id" SET NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."t" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."t" ADD CONSTRAINT "t_pkey" PRIMARY KEY (id);

-- strata: ACCESS EXCLUSIVE lock on "public"."t" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."t" ADD CONSTRAINT "t_a_key" UNIQUE (a);

-- strata: ACCESS EXCLUSIVE lock on "public"."t" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."t" ADD CONSTRAINT "t_a_check" CHECK ((a <> ''::text));

-- strata: SHARE lock on "public"."t" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "t_a_id_idx" ON "public"."t" USING btree (a, id);

COMMENT ON CONSTRAINT "t_pkey" ON "public"."t" IS 'the key';

COMMENT ON CONSTRAINT "t_a_key" ON "public"."t" IS 'unique a';

COMMENT ON CONSTRAINT "t_a_check" ON "public"."t" IS 'no empty a';

COMMENT ON INDEX "public"."t_a_id_idx" IS 'a then id';
