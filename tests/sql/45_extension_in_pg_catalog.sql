-- An extension installed in pg_catalog (issue 11 item 4): pull writes `schema: pg_catalog`, and
-- the shadow must not try to create that schema.
CREATE EXTENSION citext SCHEMA pg_catalog;
CREATE TABLE users (id int PRIMARY KEY, email citext NOT NULL UNIQUE);
