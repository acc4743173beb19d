INSERT INTO items VALUES (1, 10, 1), (2, 5, 2);
