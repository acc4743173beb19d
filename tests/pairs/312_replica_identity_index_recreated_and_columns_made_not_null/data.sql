INSERT INTO accounts VALUES (1, 'a@x', 'a'), (2, 'b@x', NULL);
INSERT INTO profiles VALUES (1, 1, 10), (2, 2, 20);
