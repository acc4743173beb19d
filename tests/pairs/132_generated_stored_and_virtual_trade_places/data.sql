INSERT INTO items VALUES (1, 10), (2, 5);
