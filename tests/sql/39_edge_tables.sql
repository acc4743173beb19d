-- Edge shapes: a table without columns, a table without a primary key, a 63-byte truncated name, a column named like a keyword type
CREATE TABLE empty_marker ();
CREATE TABLE no_pk (a int, b text);
CREATE TABLE this_is_a_very_long_table_name_that_postgres_will_truncate_at_sixty_three_bytes (id int PRIMARY KEY, "timestamp" timestamp, "type" text, "primary" int UNIQUE);
CREATE INDEX ON this_is_a_very_long_table_name_that_postgres_will_truncate_at_sixty_three_bytes ("timestamp", "type");
CREATE TABLE "with space" ("a b" int PRIMARY KEY, "c-d" int REFERENCES "with space" ("a b"));
