INSERT INTO t VALUES (1, NULL), (2, 'ok'), (3, 'too long');
