-- Declarative partitioning the way pagila and hand-written schemas use it: RANGE by month with
-- a DEFAULT partition, LIST and HASH, a partition that is itself partitioned, a partition-local
-- CHECK and index, a table attached after the fact, an index, a primary key and a foreign key on
-- the parent (cloned to every partition), a foreign key to a partitioned table, a materialized
-- view over the parent.
CREATE TABLE customer (customer_id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE payment (
    payment_id serial,
    customer_id integer NOT NULL REFERENCES customer,
    amount numeric(5,2) NOT NULL CHECK (amount >= 0),
    payment_date timestamptz NOT NULL,
    PRIMARY KEY (payment_date, payment_id)
) PARTITION BY RANGE (payment_date);
CREATE TABLE payment_p2022_01 PARTITION OF payment FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00');
CREATE TABLE payment_p2022_02 PARTITION OF payment FOR VALUES FROM ('2022-02-01 00:00:00+00') TO ('2022-03-01 00:00:00+00');
CREATE TABLE payment_rest PARTITION OF payment DEFAULT;
CREATE INDEX payment_customer_idx ON payment (customer_id);
CREATE INDEX payment_p2022_01_amount_idx ON payment_p2022_01 (amount);
-- pagila's shape: foreign keys of a partition alone, on inherited columns (the partition's
-- own constraints name columns the model keeps on the parent).
ALTER TABLE ONLY payment_p2022_02 ADD CONSTRAINT payment_p2022_02_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES customer (customer_id);
ALTER TABLE ONLY payment_p2022_02 ADD CONSTRAINT payment_p2022_02_pay_once UNIQUE (payment_id, payment_date);
-- Attached after the fact: its columns and constraint were local before ATTACH.
CREATE TABLE payment_p2022_03 (LIKE payment INCLUDING DEFAULTS);
ALTER TABLE payment_p2022_03 ADD CONSTRAINT payment_amount_check CHECK (amount >= 0);
ALTER TABLE payment ATTACH PARTITION payment_p2022_03 FOR VALUES FROM ('2022-03-01 00:00:00+00') TO ('2022-04-01 00:00:00+00');
CREATE TABLE refund (refund_id int PRIMARY KEY, payment_date timestamptz, payment_id int,
    FOREIGN KEY (payment_date, payment_id) REFERENCES payment);
CREATE TABLE event (id bigint NOT NULL, kind text NOT NULL, tenant int NOT NULL) PARTITION BY LIST (kind);
CREATE TABLE event_ab PARTITION OF event FOR VALUES IN ('a', 'b') PARTITION BY HASH (tenant);
CREATE TABLE event_ab_0 PARTITION OF event_ab FOR VALUES WITH (modulus 2, remainder 0);
CREATE TABLE event_ab_1 PARTITION OF event_ab (CONSTRAINT event_ab_1_id_check CHECK (id > 0))
    FOR VALUES WITH (modulus 2, remainder 1);
CREATE TABLE event_other PARTITION OF event DEFAULT;
COMMENT ON TABLE event_ab IS 'a and b events, by tenant';
CREATE MATERIALIZED VIEW sales_by_customer AS
    SELECT customer_id, sum(amount) AS total FROM payment GROUP BY customer_id;
