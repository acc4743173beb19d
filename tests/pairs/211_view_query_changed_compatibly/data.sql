INSERT INTO users VALUES (1, 'a', 'a@x', true);
