INSERT INTO events VALUES (1, 'a'), (2, 'b');
INSERT INTO scratch VALUES (1), (2), (3);
