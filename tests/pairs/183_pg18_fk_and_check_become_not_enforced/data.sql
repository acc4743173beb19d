INSERT INTO parents VALUES (1), (2);
INSERT INTO children VALUES (1, 1, 5), (2, 2, 1), (3, NULL, 2);
