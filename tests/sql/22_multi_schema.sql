-- Several schemas, same-named tables, cross-schema FKs, search_path changes while creating
CREATE SCHEMA billing;
CREATE SCHEMA auth;
CREATE SCHEMA "Reporting";
CREATE TABLE auth.users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE public.users (id int PRIMARY KEY, auth_id bigint REFERENCES auth.users(id));
CREATE TABLE billing.users (id int PRIMARY KEY REFERENCES public.users(id), plan text);
SET search_path = billing, public;
CREATE TABLE invoices (id serial PRIMARY KEY, user_id int NOT NULL REFERENCES users(id), total numeric(12,2));
CREATE INDEX ON invoices (user_id);
SET search_path = "Reporting";
CREATE TABLE "Daily" (day date PRIMARY KEY, invoice_id int REFERENCES billing.invoices(id), auth_user bigint REFERENCES auth.users);
RESET search_path;
CREATE TABLE auth.sessions (id uuid PRIMARY KEY, user_id bigint NOT NULL REFERENCES auth.users ON DELETE CASCADE, billing_user int REFERENCES billing.users);
CREATE INDEX sessions_user_idx ON auth.sessions (user_id);
CREATE INDEX users_email_idx ON billing.users (plan);
