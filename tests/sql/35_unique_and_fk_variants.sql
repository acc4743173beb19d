-- Uniques via index vs constraint, FK to a unique index, composite FKs with actions, self-FK, SET NULL (cols)
-- min-major: 15
CREATE TABLE regions (code char(2), country char(2), name text, PRIMARY KEY (country, code));
CREATE UNIQUE INDEX regions_name_key_idx ON regions (name);
CREATE TABLE cities (
  id int PRIMARY KEY,
  country char(2) NOT NULL,
  region char(2),
  capital_of int UNIQUE,
  parent int REFERENCES cities ON DELETE SET NULL,
  region_name text REFERENCES regions (name) ON UPDATE CASCADE,
  FOREIGN KEY (country, region) REFERENCES regions (country, code) MATCH SIMPLE ON DELETE SET NULL (region) ON UPDATE NO ACTION
);
CREATE TABLE streets (city int, name text, UNIQUE NULLS NOT DISTINCT (city, name), CHECK (name <> '') NO INHERIT);
