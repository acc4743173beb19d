INSERT INTO events VALUES (1, 'click');
