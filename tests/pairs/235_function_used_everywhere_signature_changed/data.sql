INSERT INTO users (email) VALUES ('A@x'), ('b@y');
