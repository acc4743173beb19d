INSERT INTO customer (name) VALUES ('a'), ('b');
