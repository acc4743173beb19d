INSERT INTO t VALUES (1, NULL, 1), (2, 'old', 2);
