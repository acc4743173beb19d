INSERT INTO people VALUES (1, 'a@x', 'a', '1'), (2, 'b@x', 'b', '2'); INSERT INTO tags VALUES ('x'), ('y');
