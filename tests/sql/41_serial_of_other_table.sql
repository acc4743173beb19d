-- A column defaulting to another table's serial sequence (a later table sorts first)
CREATE TABLE zz_first (id serial PRIMARY KEY);
CREATE TABLE aa_second (id int PRIMARY KEY DEFAULT nextval('zz_first_id_seq'));
