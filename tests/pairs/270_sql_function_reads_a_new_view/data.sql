INSERT INTO people (name) VALUES ('Ada');
