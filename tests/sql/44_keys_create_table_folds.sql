-- Index-backed constraints that CREATE TABLE would fold into one (issue 11 item 4): a primary key
-- that also carries a UNIQUE constraint, two equal unique constraints, two equal exclusions; and a
-- DEFERRABLE primary key built USING INDEX (the index is renamed to the constraint).
CREATE TABLE accounts (id int PRIMARY KEY, email text UNIQUE);
ALTER TABLE accounts ADD CONSTRAINT accounts_id_key UNIQUE (id);
ALTER TABLE accounts ADD CONSTRAINT accounts_email_again UNIQUE (email);
CREATE TABLE pairs (a int, b int, PRIMARY KEY (a, b) INCLUDE (a));
ALTER TABLE pairs ADD CONSTRAINT pairs_ab UNIQUE (a, b) INCLUDE (a);
CREATE TABLE lines (id int, x int NOT NULL);
CREATE UNIQUE INDEX lines_x_idx ON lines (x);
ALTER TABLE lines ADD CONSTRAINT lines_pk PRIMARY KEY USING INDEX lines_x_idx DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE lines ADD CONSTRAINT lines_x_key UNIQUE (x) DEFERRABLE INITIALLY DEFERRED;
CREATE TABLE late (id int NOT NULL);
ALTER TABLE late ADD PRIMARY KEY (id) DEFERRABLE;
CREATE TABLE slots (during tstzrange, EXCLUDE USING gist (during WITH &&));
ALTER TABLE slots ADD CONSTRAINT slots_again EXCLUDE USING gist (during WITH &&);
CREATE TABLE refs (a int, b int, FOREIGN KEY (a, b) REFERENCES pairs (a, b));
