INSERT INTO t VALUES (1, 'a', 'a@x', 1, '{}');
