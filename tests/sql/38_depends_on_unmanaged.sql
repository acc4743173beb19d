-- Managed tables that depend on unmanaged objects: FK to a partitioned table, composite-type column, serial shared with a table created earlier
-- unmanaged: partitioned tables public.events, partitions public.events_default, composite types public.money_amount
CREATE TABLE events (id bigint, tenant int, PRIMARY KEY (id, tenant)) PARTITION BY LIST (tenant);
CREATE TABLE events_default PARTITION OF events DEFAULT;
CREATE TYPE money_amount AS (amount numeric(12,2), currency char(3));
CREATE TABLE event_notes (id int PRIMARY KEY, event_id bigint, tenant int, price money_amount, FOREIGN KEY (event_id, tenant) REFERENCES events);
CREATE TABLE zz_first (id serial PRIMARY KEY);
CREATE TABLE aa_second (id int PRIMARY KEY DEFAULT nextval('zz_first_id_seq'));
