-- Privileges written by hand the way application teams write them: a read-only and a read-write
-- role, USAGE on the schema, ALL TABLES / ALL SEQUENCES IN SCHEMA, a column-level UPDATE, a grant
-- option, a grant to PUBLIC, REVOKE EXECUTE … FROM PUBLIC on a security-definer function (the
-- hardening every guide recommends) with EXECUTE given back to one role, a type's USAGE revoked
-- from PUBLIC, a view and a materialized view, a role with an odd name.
DO $$ BEGIN
  CREATE ROLE app_ro NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN
  CREATE ROLE app_rw NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN
  CREATE ROLE "Audit Team" NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA billing;
CREATE TYPE billing.plan AS ENUM ('free', 'pro');
CREATE TABLE billing.accounts (
    id bigserial PRIMARY KEY,
    email text NOT NULL,
    plan billing.plan NOT NULL DEFAULT 'free',
    notes text
);
CREATE TABLE billing.invoices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES billing.accounts,
    total numeric(12,2) NOT NULL
);
CREATE SEQUENCE billing.invoice_numbers;
CREATE VIEW billing.account_emails AS SELECT id, email FROM billing.accounts;
CREATE MATERIALIZED VIEW billing.totals AS
    SELECT account_id, sum(total) AS total FROM billing.invoices GROUP BY account_id;
CREATE FUNCTION billing.close_account(account bigint) RETURNS void
    LANGUAGE sql SECURITY DEFINER AS $$ DELETE FROM billing.accounts WHERE id = account $$;
GRANT USAGE ON SCHEMA billing TO app_ro, app_rw, "Audit Team";
GRANT SELECT ON ALL TABLES IN SCHEMA billing TO app_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA billing TO app_rw;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA billing TO app_rw;
GRANT UPDATE (notes) ON billing.accounts TO app_ro;
GRANT SELECT ON billing.invoices TO "Audit Team" WITH GRANT OPTION;
GRANT SELECT ON billing.account_emails TO PUBLIC;
REVOKE EXECUTE ON FUNCTION billing.close_account(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing.close_account(bigint) TO app_rw;
REVOKE USAGE ON TYPE billing.plan FROM PUBLIC;
GRANT USAGE ON TYPE billing.plan TO app_rw;
