INSERT INTO documents VALUES (1, 1, 'alice', false), (2, 2, 'bob', true);
