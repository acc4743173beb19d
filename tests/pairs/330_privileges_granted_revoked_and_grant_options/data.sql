INSERT INTO app.users (email) VALUES ('a@example.com');
