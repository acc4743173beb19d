INSERT INTO jobs VALUES (1, 'running', NULL), (2, 'done', now());
