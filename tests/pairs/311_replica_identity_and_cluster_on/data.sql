INSERT INTO orders VALUES (1, 'a', now()), (2, 'b', now());
INSERT INTO lines VALUES (1);
