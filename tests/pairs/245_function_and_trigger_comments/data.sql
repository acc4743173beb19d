INSERT INTO t (at) VALUES (now());
