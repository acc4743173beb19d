INSERT INTO events VALUES (1, '2024-01-01 10:00', '{"a": 1}', '{x,y}', '{ab,cd}'), (2, '2024-02-01', '[1,2]', '{}', NULL);
