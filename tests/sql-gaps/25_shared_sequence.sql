-- One sequence shared by two tables (legacy global ids); standalone sequences are unmanaged
-- unmanaged: sequences public.global_id_seq, sequences public.invoice_number_seq
CREATE SEQUENCE global_id_seq START 1000;
CREATE TABLE a (id bigint PRIMARY KEY DEFAULT nextval('global_id_seq'), v text);
CREATE TABLE b (id bigint PRIMARY KEY DEFAULT nextval('global_id_seq'::regclass), w text);
CREATE SEQUENCE invoice_number_seq AS integer INCREMENT 10 MINVALUE 100 NO MAXVALUE CYCLE;
CREATE TABLE invoices (id serial PRIMARY KEY, number int NOT NULL DEFAULT nextval('invoice_number_seq'));
