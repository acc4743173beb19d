INSERT INTO users VALUES (1, 'A@x.org');
