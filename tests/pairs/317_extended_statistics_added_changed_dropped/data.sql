INSERT INTO orders VALUES (1, 'Paris', '75001', 'FR', 'a@x.org', 'l'), (2, 'Lyon', '69001', 'FR', NULL, NULL);
ANALYZE orders;
