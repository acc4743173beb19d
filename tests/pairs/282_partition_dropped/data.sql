INSERT INTO measurement VALUES (1, '2024-03-01', 20), (2, '2025-07-01', 30);
