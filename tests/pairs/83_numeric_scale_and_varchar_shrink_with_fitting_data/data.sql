INSERT INTO t VALUES (1, 'ABC', 'short', 12.5), (2, 'DEFGH', NULL, 1.25);
