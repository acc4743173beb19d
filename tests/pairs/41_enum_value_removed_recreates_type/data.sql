INSERT INTO jobs VALUES ('running', '{pending,running}');
