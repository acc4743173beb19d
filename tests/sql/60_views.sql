-- Views and materialized views written by hand: a chain, a view in another schema, quoted and
-- mixed-case names, options, check options, comments on views and their columns, a
-- materialized view with indexes (one unique, one partial) and one created WITH NO DATA.
-- What views may carry that the model does not hold is reported (a materialized view's storage
-- parameters are modelled):
-- unmanaged: view column defaults public.active_customers.country
CREATE SCHEMA "Reports";
CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, country char(2), active boolean DEFAULT true);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers, total numeric(10,2), placed_at timestamptz DEFAULT now());

CREATE VIEW active_customers AS SELECT * FROM customers WHERE active;
CREATE VIEW "Reports"."Big Spenders" AS
  SELECT c.id, c.name AS "Name", sum(o.total) AS "Total"
  FROM active_customers c JOIN orders o ON o.customer_id = c.id
  GROUP BY c.id, c.name HAVING sum(o.total) > 1000;
CREATE VIEW "Reports".top_spender AS SELECT * FROM "Reports"."Big Spenders" ORDER BY "Total" DESC LIMIT 1;
CREATE VIEW fr_customers WITH (security_barrier) AS
  SELECT id, name FROM customers WHERE country = 'FR' WITH LOCAL CHECK OPTION;
CREATE VIEW cascaded_fr AS SELECT id, name FROM fr_customers WHERE name <> '' WITH CASCADED CHECK OPTION;
CREATE VIEW "select" AS SELECT 1 AS "from", 'it''s'::text AS "Quoted ""Col""";
CREATE VIEW with_values (a, b) AS VALUES (1, 'x'), (2, 'y');
COMMENT ON VIEW active_customers IS 'Customers who are active';
COMMENT ON COLUMN active_customers.name IS 'Full name';
COMMENT ON VIEW "Reports"."Big Spenders" IS 'Over a thousand';

CREATE MATERIALIZED VIEW daily_totals AS
  SELECT placed_at::date AS day, count(*) AS orders, sum(total) AS total FROM orders GROUP BY 1;
CREATE UNIQUE INDEX daily_totals_day ON daily_totals (day);
CREATE INDEX daily_totals_big ON daily_totals (total) WHERE total > 100;
COMMENT ON MATERIALIZED VIEW daily_totals IS 'one row a day';
COMMENT ON COLUMN daily_totals.total IS 'sum of the day';
CREATE MATERIALIZED VIEW "Reports".country_counts AS
  SELECT country, count(*) AS n FROM customers GROUP BY country WITH NO DATA;
CREATE INDEX ON "Reports".country_counts (country);
ALTER MATERIALIZED VIEW daily_totals SET (fillfactor = 70);
ALTER VIEW active_customers ALTER COLUMN country SET DEFAULT 'FR';
