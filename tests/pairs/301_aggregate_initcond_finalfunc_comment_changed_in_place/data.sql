INSERT INTO actor (name) VALUES ('penelope'), ('nick');
