INSERT INTO priority VALUES ('low'), ('high'); INSERT INTO tickets VALUES (1, 'low');
