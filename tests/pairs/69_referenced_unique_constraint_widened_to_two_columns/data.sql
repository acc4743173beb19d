INSERT INTO parent VALUES (1, 1, 'a'); INSERT INTO child VALUES (1, 1, 'a');
