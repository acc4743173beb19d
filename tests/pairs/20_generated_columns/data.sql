INSERT INTO t (price, qty) VALUES (10, 2);
