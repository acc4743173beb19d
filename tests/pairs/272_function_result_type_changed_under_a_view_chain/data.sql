INSERT INTO results (v) VALUES (3), (30);
