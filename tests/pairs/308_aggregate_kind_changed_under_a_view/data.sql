INSERT INTO nums VALUES (1), (5), (9);
