INSERT INTO parents VALUES (1);
INSERT INTO children VALUES (1, 1, 5), (2, 42, -1);
