INSERT INTO measurement VALUES (1, '2024-03-01', 20), (2, '2024-07-01', 30);
