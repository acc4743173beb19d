INSERT INTO customer (id) VALUES (1);
