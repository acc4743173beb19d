INSERT INTO documents VALUES (1, repeat('x', 5000), '{"a": 1}', 7, 'odd'), (2, NULL, NULL, 8, NULL);
