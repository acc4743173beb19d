INSERT INTO t VALUES (1, NULL), (2, 'ab'), (3, 'abcdefg');
