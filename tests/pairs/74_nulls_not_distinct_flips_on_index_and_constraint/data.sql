INSERT INTO t VALUES (1, 'x', 'y'), (2, NULL, NULL);
