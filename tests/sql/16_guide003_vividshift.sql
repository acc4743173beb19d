-- Guide 003: VividShift; JSONB skills with GIN, enum-like checks, sqlx-style _sqlx_migrations
CREATE TABLE _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
    success BOOLEAN NOT NULL,
    checksum BYTEA NOT NULL,
    execution_time BIGINT NOT NULL
);
CREATE TABLE workers (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name TEXT NOT NULL,
    skills JSONB NOT NULL DEFAULT '[]',
    hourly_rate NUMERIC(8,2),
    created_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_workers_skills ON workers USING GIN (skills);
CREATE INDEX idx_workers_name_trgm_free ON workers (lower(name) text_pattern_ops);
CREATE TABLE shifts (
    id BIGSERIAL PRIMARY KEY,
    worker_id UUID REFERENCES workers(id) ON DELETE SET NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    kind TEXT NOT NULL DEFAULT 'day' CHECK (kind IN ('day', 'night', 'weekend')),
    CONSTRAINT shifts_time_order CHECK (ends_at > starts_at)
);
CREATE INDEX idx_shifts_worker_start ON shifts (worker_id, starts_at);
