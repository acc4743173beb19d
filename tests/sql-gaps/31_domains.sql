-- Domains used by columns: the domain is unmanaged, the column type is the domain
-- unmanaged: domains public.email, domains public.positive_int, domains app.us_zip
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
