INSERT INTO jobs VALUES (1, 'running'), (2, 'done');
