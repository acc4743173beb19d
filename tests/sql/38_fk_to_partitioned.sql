-- A managed table with a foreign key to a partitioned table (PostgreSQL 12+)
CREATE TABLE events (id bigint, tenant int, PRIMARY KEY (id, tenant)) PARTITION BY LIST (tenant);
CREATE TABLE events_default PARTITION OF events DEFAULT;
CREATE TABLE event_notes (id int PRIMARY KEY, event_id bigint, tenant int, FOREIGN KEY (event_id, tenant) REFERENCES events);
