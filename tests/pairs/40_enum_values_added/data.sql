INSERT INTO jobs VALUES ('done');
