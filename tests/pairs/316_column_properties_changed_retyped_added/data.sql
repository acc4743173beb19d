INSERT INTO notes VALUES (1, 'a', 'body', 'k'), (2, 'b', NULL, 'k');
