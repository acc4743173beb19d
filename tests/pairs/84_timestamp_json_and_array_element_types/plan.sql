-- strata: ACCESS EXCLUSIVE lock on "public"."events"; brief
ALTER TABLE "public"."events" ALTER COLUMN "at" DROP DEFAULT;

-- strata: ACCESS EXCLUSIVE lock on "public"."events"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."events" ALTER COLUMN "at" TYPE timestamp with time zone USING "at"::timestamp with time zone;

-- strata: ACCESS EXCLUSIVE lock on "public"."events"; brief
ALTER TABLE "public"."events" ALTER COLUMN "at" SET DEFAULT now();

-- DESTRUCTIVE: changes events.payload from json to jsonb: a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."events"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."events" ALTER COLUMN "payload" TYPE jsonb USING "payload"::jsonb;

-- strata: ACCESS EXCLUSIVE lock on "public"."events"; brief
ALTER TABLE "public"."events" ALTER COLUMN "tags" DROP DEFAULT;

-- DESTRUCTIVE: changes events.tags from text[] to character varying(20)[]: a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."events"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."events" ALTER COLUMN "tags" TYPE character varying(20)[];

-- strata: ACCESS EXCLUSIVE lock on "public"."events"; brief
ALTER TABLE "public"."events" ALTER COLUMN "tags" SET DEFAULT '{}'::character varying[];

-- strata: ACCESS EXCLUSIVE lock on "public"."events"; brief (no rewrite needed)
ALTER TABLE "public"."events" ALTER COLUMN "codes" TYPE text[] USING "codes"::text[];

-- strata: SHARE lock on "public"."events" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "events_payload_idx" ON "public"."events" USING gin (payload);
