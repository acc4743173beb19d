-- Constraint names are unique per table only, but PostgreSQL gives an unnamed constraint its
-- default name only while no constraint of the schema has it: which table got the plain name
-- depends on creation order, so pull writes such names out. Also names derived from columns that
-- need quoting, syntax words as column names, a whole-row check, a table without columns.
CREATE TABLE zz (a int CHECK (a > 0), b int);
CREATE TABLE aa (x int, CONSTRAINT zz_a_check CHECK (x > 1));
CREATE TABLE fk_t (a int PRIMARY KEY);
CREATE TABLE zq (a int REFERENCES fk_t);
CREATE TABLE ab (y int, CONSTRAINT zq_a_fkey CHECK (y > 0));
CREATE TABLE pk (id int PRIMARY KEY);
CREATE TABLE apk (y int, CONSTRAINT pk_pkey CHECK (y > 0));
CREATE TABLE "Weird T" (
  "Weird col" int CHECK ("Weird col" > 0),
  zone int CHECK (zone IS NOT NULL),
  value text CHECK (value <> 'zone'),
  at timestamptz CHECK (at AT TIME ZONE 'UTC' > '2000-01-01')
);
CREATE TABLE w (a int, CHECK (w IS NOT NULL));
CREATE TABLE e ();
-- A check on tableoid is named after it (`toid_tableoid_check`) but has no column to sit under.
CREATE TABLE toid (a int, CHECK (tableoid <> 0));
