INSERT INTO docs (title) VALUES ('x');
