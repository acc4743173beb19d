INSERT INTO jobs VALUES (1, 'pending', 1), (2, 'running', 5), (3, 'failed', 2), (4, DEFAULT, DEFAULT);
