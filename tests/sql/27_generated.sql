-- Generated (stored) columns with functions and casts
CREATE TABLE products (
  id int PRIMARY KEY,
  net_cents integer NOT NULL,
  vat_rate numeric(4,3) NOT NULL DEFAULT 0.2,
  gross_cents integer GENERATED ALWAYS AS ((net_cents * (1 + vat_rate))::integer) STORED,
  name text NOT NULL,
  name_search text GENERATED ALWAYS AS (lower(trim(name))) STORED,
  doc tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, coalesce(name, ''))) STORED
);
CREATE INDEX products_doc_idx ON products USING gin (doc);
CREATE INDEX products_name_search_idx ON products (name_search);
