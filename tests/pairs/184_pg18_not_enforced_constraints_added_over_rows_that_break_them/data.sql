INSERT INTO parents VALUES (1, 'a');
INSERT INTO children VALUES (1, 1, 'a', 5), (2, 42, 'zz', -1), (3, NULL, NULL, 500);
