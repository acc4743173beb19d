-- Operator class parameters (PostgreSQL 13+): pull keeps `(siglen='32')`, also on a default
-- operator class, which is otherwise left out.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE docs (name text, body tsvector);
CREATE INDEX docs_name_trgm ON docs USING gist (name gist_trgm_ops (siglen = 32));
CREATE INDEX docs_body_idx ON docs USING gist (body tsvector_ops (siglen = 100));
CREATE INDEX docs_name_plain ON docs USING gist (name gist_trgm_ops);
