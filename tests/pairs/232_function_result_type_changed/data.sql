INSERT INTO results (v) VALUES (1), (7);
