-- Column properties and extended statistics written by hand the way tuning guides do: SET STATISTICS
-- (also on a partitioned table), STORAGE in mixed case and inline in CREATE TABLE's column via ALTER,
-- COMPRESSION, attribute options with odd number spellings, a quoted column and table, statistics with
-- kinds in any order, columns listed out of order, expressions, a target and a comment; statistics on a
-- materialized view stay SQL (and reported).
-- unmanaged: extended statistics public.order_totals_stats
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    city text,
    zip text,
    "Country Code" char(2),
    email text,
    body text COMPRESSION pglz,
    payload jsonb
);
ALTER TABLE orders ALTER COLUMN city SET STATISTICS 1000;
ALTER TABLE orders ALTER "Country Code" SET STATISTICS 0, ALTER COLUMN body SET STORAGE External;
ALTER TABLE orders ALTER COLUMN payload SET STORAGE main, ALTER COLUMN payload SET COMPRESSION pglz;
ALTER TABLE orders ALTER COLUMN zip SET (n_distinct = -0.25, n_distinct_inherited = 1e3);
ALTER TABLE orders ALTER COLUMN email SET (n_distinct=42);
-- Storage equal to the type's own is no property at all.
ALTER TABLE orders ALTER COLUMN email SET STORAGE EXTENDED;
CREATE STATISTICS orders_city_zip (MCV, ndistinct) ON zip, city FROM orders;
CREATE STATISTICS "Orders ""geo""" ON "Country Code", city, zip FROM orders;
ALTER STATISTICS "Orders ""geo""" SET STATISTICS 250;
COMMENT ON STATISTICS "Orders ""geo""" IS 'country, city and zip: it''s correlated';
CREATE STATISTICS orders_email_domain ON (lower(split_part(email, '@', 2))), "Country Code" FROM orders;
CREATE STATISTICS orders_lower_email ON (lower(email)) FROM orders;
CREATE TABLE "Event Log" (at date NOT NULL, kind text, note text) PARTITION BY RANGE (at);
CREATE TABLE event_log_2026 PARTITION OF "Event Log" FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE "Event Log" ALTER COLUMN kind SET STATISTICS 300;
CREATE STATISTICS event_kinds (dependencies) ON kind, note FROM "Event Log";
CREATE MATERIALIZED VIEW order_totals AS SELECT city, count(*) AS n FROM orders GROUP BY city;
CREATE STATISTICS order_totals_stats ON city, n FROM order_totals;
