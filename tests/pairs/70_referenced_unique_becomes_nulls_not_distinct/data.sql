INSERT INTO parent VALUES (1, 'a'), (2, NULL); INSERT INTO child VALUES (1, 'a');
