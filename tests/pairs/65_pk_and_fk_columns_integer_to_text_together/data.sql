INSERT INTO countries VALUES (33, 'France'), (49, 'Germany'); INSERT INTO cities VALUES (1, 33), (2, 49);
