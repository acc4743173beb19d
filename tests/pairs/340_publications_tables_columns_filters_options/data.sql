INSERT INTO customers VALUES (1, 'a@example.com', 'X1', true);
