-- Logical-replication publications the way CDC and read-replica setups write them: whole tables,
-- column lists and row filters (PostgreSQL 15+), publish options, a partitioned table published via
-- its root, a table in another schema, a quoted publication name, a comment, an empty publication.
-- A publication naming a table outside the managed schemas stays reported (here: none, the whole
-- database is managed).
-- min-major: 15
CREATE SCHEMA billing;
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, active boolean NOT NULL DEFAULT true,
    "Full Name" text);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers, total numeric(10,2));
CREATE TABLE billing.invoices (id bigint, issued date NOT NULL, amount numeric, PRIMARY KEY (id, issued))
    PARTITION BY RANGE (issued);
CREATE TABLE billing.invoices_2026 PARTITION OF billing.invoices
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

CREATE PUBLICATION warehouse FOR TABLE orders, customers (id, email, "Full Name") WHERE (active);
CREATE PUBLICATION "Billing Feed" FOR TABLE billing.invoices WHERE (amount > 100)
    WITH (publish = 'insert, update', publish_via_partition_root = true);
COMMENT ON PUBLICATION "Billing Feed" IS 'Invoices over 100, for the ledger';
CREATE PUBLICATION deletes_only FOR TABLE orders WITH (publish = 'delete');
CREATE PUBLICATION nothing_yet;
