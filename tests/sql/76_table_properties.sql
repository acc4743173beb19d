-- Table properties written by hand the way replication, tuning and multi-tenant guides do: replica identity
-- FULL, NOTHING and USING INDEX (a unique index on NOT NULL columns, and a primary key),
-- storage parameters with SQL's boolean spellings (off, 0) and TOAST ones, an UNLOGGED table,
-- CLUSTER on an index, a partition with its own fillfactor, a quoted name.
CREATE TABLE audit_log (id bigint PRIMARY KEY, at timestamptz NOT NULL, body jsonb)
  WITH (fillfactor = 80, autovacuum_enabled = off, toast.autovacuum_enabled = 0);
ALTER TABLE audit_log REPLICA IDENTITY FULL;
CREATE TABLE "Feed Items" (id bigint NOT NULL, slug text NOT NULL, note text);
CREATE UNIQUE INDEX "Feed Items slug" ON "Feed Items" (slug, id);
ALTER TABLE "Feed Items" REPLICA IDENTITY USING INDEX "Feed Items slug";
CLUSTER "Feed Items" USING "Feed Items slug";
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);
ALTER TABLE orders REPLICA IDENTITY USING INDEX orders_pkey;
ALTER TABLE orders SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000);
CREATE UNLOGGED TABLE sessions (token text PRIMARY KEY, data bytea) WITH (vacuum_truncate = false);
ALTER TABLE sessions REPLICA IDENTITY NOTHING;
CREATE TABLE metrics (at date NOT NULL, v double precision) PARTITION BY RANGE (at);
CREATE TABLE metrics_2026 PARTITION OF metrics FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
  WITH (fillfactor = 60);
ALTER TABLE metrics_2026 REPLICA IDENTITY FULL;
-- Row-level security: enabled, forced on the owner too, and forced while disabled (no effect
-- until enabled, yet kept by pg_dump and so by strata).
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
