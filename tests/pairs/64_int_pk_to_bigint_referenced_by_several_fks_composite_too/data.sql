INSERT INTO orgs VALUES (1, 'x'), (2, 'y');
INSERT INTO projects VALUES (1, 1), (1, 2), (2, 1);
INSERT INTO tasks VALUES (1, 1, 1, 2), (2, 2, 1, NULL);
