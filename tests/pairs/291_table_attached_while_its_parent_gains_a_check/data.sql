INSERT INTO sales VALUES (1, 'eu', 5);
INSERT INTO sales_us VALUES (2, 'us', 7);
