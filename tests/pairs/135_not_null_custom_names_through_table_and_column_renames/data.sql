INSERT INTO customers (mail, name, note) VALUES ('a@x', 'A', 'n');
