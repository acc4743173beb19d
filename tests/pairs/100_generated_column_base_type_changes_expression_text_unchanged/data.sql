INSERT INTO items (id, price, label) VALUES (1, 10, 'a'), (2, 3, NULL);
