-- min-major: 15
-- security_invoker views (PostgreSQL 15+), with and without security_barrier.
CREATE TABLE docs (id int PRIMARY KEY, owner name DEFAULT current_user, body text);
CREATE VIEW my_docs WITH (security_invoker = true) AS SELECT id, body FROM docs WHERE owner = current_user;
CREATE VIEW my_docs_barrier WITH (security_invoker, security_barrier = on) AS SELECT * FROM my_docs;
