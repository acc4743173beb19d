-- Extensions (pgcrypto, citext, uuid-ossp, in their own schema too) used by columns and defaults
CREATE SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA extensions;
CREATE TABLE accounts (
  id uuid PRIMARY KEY DEFAULT extensions.uuid_generate_v4(),
  alt_id uuid DEFAULT gen_random_uuid(),
  email citext NOT NULL UNIQUE,
  secret text DEFAULT encode(gen_random_bytes(16), 'hex'),
  attrs extensions.hstore
);
CREATE INDEX accounts_email_idx ON accounts (email);
