INSERT INTO items (id, price, qty, note) VALUES (1, 10, 2, 'a'), (2, 5, 3, NULL);
