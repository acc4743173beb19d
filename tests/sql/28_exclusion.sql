-- Exclusion constraints with operators that need no btree_gist
CREATE TABLE bookings (
  id serial PRIMARY KEY,
  during tstzrange NOT NULL,
  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (during WITH &&)
);
CREATE TABLE areas (
  id int PRIMARY KEY,
  shape box,
  spot circle,
  EXCLUDE USING gist (shape WITH &&) WHERE (id > 0),
  CONSTRAINT areas_spot_excl EXCLUDE USING gist (spot WITH &&) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE one_hash (v text, EXCLUDE USING hash (v WITH =));
