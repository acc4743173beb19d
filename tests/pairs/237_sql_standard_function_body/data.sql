INSERT INTO orders (total) VALUES (5);
