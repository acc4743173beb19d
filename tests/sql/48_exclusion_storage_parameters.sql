-- Storage parameters of an exclusion constraint's index are part of its definition
-- (`… WITH (fillfactor='50')`): pull writes them, so the shadow builds the same constraint.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE bookings (room int, during tstzrange, cancelled boolean,
  EXCLUDE USING gist (room WITH =, during WITH &&) WITH (fillfactor = 50) WHERE (NOT cancelled));
