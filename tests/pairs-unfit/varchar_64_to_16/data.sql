INSERT INTO t VALUES (1, NULL), (2, 'fits'), (3, 'a-very-long-organisation-slug');
