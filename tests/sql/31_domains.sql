-- Domains used by columns (domains are managed: pull writes them under domains:)
CREATE SCHEMA app;
CREATE DOMAIN email AS text CHECK (VALUE ~ '^[^@]+@[^@]+$');
CREATE DOMAIN positive_int AS integer NOT NULL DEFAULT 1 CHECK (VALUE > 0);
CREATE DOMAIN app.us_zip AS varchar(10) CHECK (VALUE ~ '^\d{5}(-\d{4})?$');
CREATE TABLE contacts (
  id int PRIMARY KEY,
  mail email NOT NULL,
  qty positive_int,
  zip app.us_zip,
  zips app.us_zip[]
);
CREATE INDEX contacts_mail_idx ON contacts (mail);
CREATE DOMAIN app.code AS text COLLATE "C" CONSTRAINT code_short CHECK (length(VALUE) < 8);
ALTER DOMAIN app.code ADD CONSTRAINT code_upper CHECK (VALUE = upper(VALUE)) NOT VALID;
COMMENT ON DOMAIN positive_int IS 'a count';
COMMENT ON CONSTRAINT code_short ON DOMAIN app.code IS 'short codes';
CREATE DOMAIN small_positive AS positive_int CHECK (VALUE < 100);
CREATE TABLE codes (c app.code PRIMARY KEY, n small_positive);
