INSERT INTO users VALUES (1, 'a@x', 'A'); INSERT INTO logins VALUES (1, 'a@x');
