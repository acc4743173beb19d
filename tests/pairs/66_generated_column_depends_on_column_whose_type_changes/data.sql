INSERT INTO items (id, price, qty) VALUES (1, 10, 2), (2, 3, 5);
