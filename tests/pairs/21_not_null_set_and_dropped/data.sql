INSERT INTO t VALUES ('x', 'y');
