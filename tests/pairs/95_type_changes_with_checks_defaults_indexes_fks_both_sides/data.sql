INSERT INTO parent VALUES ('none'), ('p1'); INSERT INTO child VALUES (1, 'p1', 2, 'hello'), (2, DEFAULT, DEFAULT, DEFAULT);
