INSERT INTO kinds VALUES ('a'), ('b'); INSERT INTO things VALUES (1, 'a'), (2, 'b');
