INSERT INTO customers (mail, name) VALUES ('a@example.com', 'a');
