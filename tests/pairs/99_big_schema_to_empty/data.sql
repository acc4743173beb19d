INSERT INTO app.orgs (name, slug) VALUES ('Acme', 'acme');
INSERT INTO app.users (org_id, email) VALUES (1, 'a@acme.org');
UPDATE app.orgs SET owner_id = 1;
INSERT INTO app.docs (org_id, author_id, valid, status) VALUES (1, 1, tstzrange(now(), null), 'live');
INSERT INTO audit.log (doc_id, who, what) VALUES (1, 1, 'created');
