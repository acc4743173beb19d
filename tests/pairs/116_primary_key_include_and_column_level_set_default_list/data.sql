INSERT INTO parents VALUES (0), (1); INSERT INTO items VALUES (1, 'a', 1);
