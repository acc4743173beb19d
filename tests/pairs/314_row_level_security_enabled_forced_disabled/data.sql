INSERT INTO tenants VALUES (1), (2);
INSERT INTO documents VALUES (1, 1), (2, 2);
INSERT INTO audit VALUES (1);
