INSERT INTO app.alerts VALUES (1, 'mid', '{low,mid}'); INSERT INTO notes VALUES (1, DEFAULT);
