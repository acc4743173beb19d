INSERT INTO purchases VALUES (1, 'paid'), (2, 'draft');
