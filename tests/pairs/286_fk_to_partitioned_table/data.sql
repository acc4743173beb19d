INSERT INTO events VALUES (1, 1), (2, 2);
INSERT INTO event_notes VALUES (1, 1, 1), (2, NULL, NULL);
