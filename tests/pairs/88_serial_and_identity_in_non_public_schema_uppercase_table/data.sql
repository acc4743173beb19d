INSERT INTO app.things VALUES ('a'), ('b');
