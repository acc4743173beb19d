INSERT INTO "App".t (id) VALUES (1), (2);
