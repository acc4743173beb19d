INSERT INTO posts VALUES (1, 'draft', '{draft}'), (2, 'live', '{draft,live}'), (3, DEFAULT, NULL);
