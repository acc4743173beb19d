INSERT INTO actor (name) VALUES ('PENELOPE'), ('NICK');
