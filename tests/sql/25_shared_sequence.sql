-- One sequence shared by two tables (legacy global ids), and a standalone sequence with options
CREATE SEQUENCE global_id_seq START 1000;
CREATE TABLE a (id bigint PRIMARY KEY DEFAULT nextval('global_id_seq'), v text);
CREATE TABLE b (id bigint PRIMARY KEY DEFAULT nextval('global_id_seq'::regclass), w text);
CREATE SEQUENCE invoice_number_seq AS integer INCREMENT 10 MINVALUE 100 NO MAXVALUE CYCLE;
CREATE TABLE invoices (id serial PRIMARY KEY, number int NOT NULL DEFAULT nextval('invoice_number_seq'));
-- A descending smallint sequence in another schema, quoted name, comment, owned by a column it does not feed
CREATE SCHEMA billing;
CREATE SEQUENCE billing."Odd Seq" AS smallint INCREMENT -2 START -10 MINVALUE -1000 MAXVALUE -1 CACHE 3;
COMMENT ON SEQUENCE billing."Odd Seq" IS 'it''s odd';
CREATE TABLE billing.docs (id int, n smallint DEFAULT nextval('billing."Odd Seq"'));
ALTER SEQUENCE billing."Odd Seq" OWNED BY billing.docs.id;
-- Owned by the column it feeds but the column is numeric: no serial, a standalone owned sequence
CREATE SEQUENCE billing.num_seq;
CREATE TABLE billing.nums (n numeric DEFAULT nextval('billing.num_seq'));
ALTER SEQUENCE billing.num_seq OWNED BY billing.nums.n;
