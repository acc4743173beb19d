INSERT INTO "Données"."Clients Été" VALUES (1, 'Zoë "Z"', 1999);
INSERT INTO "Commandes" ("client Id") VALUES (1);
