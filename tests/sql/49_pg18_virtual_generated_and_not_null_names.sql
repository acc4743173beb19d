-- PostgreSQL 18: VIRTUAL generated columns (the default kind there) and
-- NOT NULL constraints with names of their own, as a hand-written schema
-- has them; NOT VALID / NO INHERIT NOT NULLs and a comment on one are
-- reported, not silently modelled.
-- min-major: 18
-- unmanaged: NOT VALID not-null constraints phone_set on public.customers, NO INHERIT not-null constraints region_set on public.customers, comments on not-null constraints customers_email_not_null on public.customers
CREATE TABLE customers (
  id integer GENERATED ALWAYS AS IDENTITY CONSTRAINT customer_id_required NOT NULL PRIMARY KEY,
  email text NOT NULL,
  first_name text CONSTRAINT "First name required" NOT NULL,
  last_name text NOT NULL,
  full_name text GENERATED ALWAYS AS (first_name || ' ' || last_name),
  email_domain text GENERATED ALWAYS AS (split_part(email, '@', 2)) VIRTUAL NOT NULL,
  email_lower text GENERATED ALWAYS AS (lower(email)) STORED,
  phone text,
  region text CONSTRAINT region_set NOT NULL NO INHERIT
);
ALTER TABLE customers ADD CONSTRAINT phone_set NOT NULL phone NOT VALID;
COMMENT ON CONSTRAINT customers_email_not_null ON customers IS 'every customer can be mailed';
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id integer CONSTRAINT orders_need_a_customer NOT NULL REFERENCES customers,
  net_cents integer NOT NULL,
  gross_cents integer GENERATED ALWAYS AS ((net_cents * 6) / 5),
  placed_at timestamptz NOT NULL DEFAULT now()
);
-- The name orders.net_cents has by default: a name two tables share is
-- written out for both by pull (which one PostgreSQL would give the
-- default depends on the order of creation).
CREATE TABLE order_lines (
  order_id bigint CONSTRAINT orders_net_cents_not_null NOT NULL,
  qty integer NOT NULL CHECK (qty > 0)
);
