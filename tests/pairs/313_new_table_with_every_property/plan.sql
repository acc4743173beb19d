CREATE UNLOGGED TABLE "public"."cache" (
    "id" bigint NOT NULL,
    "key" text NOT NULL,
    CONSTRAINT "cache_pkey" PRIMARY KEY (id)
) WITH ("fillfactor" = 50, "toast"."autovacuum_enabled" = false);

CREATE UNIQUE INDEX "cache_key_idx" ON "public"."cache" USING btree (key);

ALTER TABLE "public"."cache" REPLICA IDENTITY USING INDEX "cache_key_idx";

ALTER TABLE "public"."cache" CLUSTER ON "cache_key_idx";
