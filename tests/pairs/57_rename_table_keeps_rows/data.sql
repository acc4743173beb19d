INSERT INTO customers (email) VALUES ('a@x'), ('b@x'); INSERT INTO orders VALUES (1, 1), (2, 2);
