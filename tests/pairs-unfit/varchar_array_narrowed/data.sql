INSERT INTO t VALUES (1, NULL), (2, '{a,bc}'), (3, '{a,abcd}');
