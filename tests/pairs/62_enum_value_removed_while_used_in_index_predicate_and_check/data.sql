INSERT INTO jobs VALUES (1, 'running'), (2, 'pending'), (3, 'done');
