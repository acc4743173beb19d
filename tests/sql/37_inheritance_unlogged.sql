-- Old-style inheritance (reported; pull writes the child to unmodelled.sql), unlogged tables and
-- storage parameters (modelled)
-- unmanaged: inheritance children public.measurements_2024
CREATE TABLE measurements (id int PRIMARY KEY, at date NOT NULL, value numeric);
CREATE TABLE measurements_2024 (CHECK (at >= '2024-01-01' AND at < '2025-01-01')) INHERITS (measurements);
CREATE UNLOGGED TABLE cache_entries (key text PRIMARY KEY, value bytea, expires_at timestamptz);
CREATE TABLE hot_rows (id int PRIMARY KEY, counter bigint NOT NULL DEFAULT 0) WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01);
CREATE TABLE readings (id int PRIMARY KEY, measurement_id int REFERENCES measurements);
