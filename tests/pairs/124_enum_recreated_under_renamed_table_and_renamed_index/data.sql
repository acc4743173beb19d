INSERT INTO old_jobs VALUES (1, 'active'), (2, 'gone');
