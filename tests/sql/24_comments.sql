-- COMMENT ON everything a DBA documents
CREATE SCHEMA docs;
COMMENT ON SCHEMA docs IS 'Documented schema';
COMMENT ON SCHEMA public IS 'standard public schema';
CREATE TYPE docs.mood AS ENUM ('sad', 'ok', 'happy');
COMMENT ON TYPE docs.mood IS 'How the user feels';
CREATE TABLE docs.people (id serial PRIMARY KEY, name text NOT NULL, mood docs.mood, CONSTRAINT people_name_len CHECK (length(name) < 200));
COMMENT ON TABLE docs.people IS 'People, one row each.
Second line with ''quotes''.';
COMMENT ON COLUMN docs.people.id IS 'surrogate key';
COMMENT ON COLUMN docs.people.name IS '';
COMMENT ON CONSTRAINT people_name_len ON docs.people IS 'names are short';
COMMENT ON CONSTRAINT people_pkey ON docs.people IS 'pk';
CREATE INDEX people_name_idx ON docs.people (name);
COMMENT ON INDEX docs.people_name_idx IS 'lookup by name';
COMMENT ON SEQUENCE docs.people_id_seq IS 'the serial sequence';
CREATE EXTENSION IF NOT EXISTS citext;
COMMENT ON EXTENSION citext IS 'case-insensitive text';
CREATE TABLE tags (label citext PRIMARY KEY);
COMMENT ON COLUMN tags.label IS 'tag: unique, case-insensitively';
