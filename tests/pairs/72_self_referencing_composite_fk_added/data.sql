INSERT INTO nodes VALUES (1, 1, NULL), (1, 2, 1), (2, 1, NULL);
