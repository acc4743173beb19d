-- Renamed tables whose serial sequences, identity sequences, pkeys and indexes kept their old names
CREATE TABLE accounts (id serial PRIMARY KEY, email text UNIQUE);
CREATE INDEX accounts_email_lower_idx ON accounts (lower(email));
ALTER TABLE accounts RENAME TO members;
CREATE TABLE logs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, member_id int REFERENCES members);
ALTER TABLE logs RENAME TO audit_logs;
ALTER TABLE audit_logs RENAME COLUMN member_id TO account_id;
