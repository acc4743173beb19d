-- Range types (with their multiranges) and user collations (libc and ICU) used by columns
CREATE SCHEMA geo;
CREATE COLLATION bytes (locale = 'C');
CREATE COLLATION geo.root_ci (provider = icu, locale = 'und-x-icu', deterministic = false);
COMMENT ON COLLATION bytes IS 'byte order';
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TYPE geo.timespan AS RANGE (subtype = time, multirange_type_name = geo.timespans);
CREATE TYPE textrange AS RANGE (subtype = text, collation = bytes);
COMMENT ON TYPE floatrange IS 'floats';
CREATE TABLE readings (
  id int PRIMARY KEY,
  band floatrange,
  bands floatmultirange,
  open_hours geo.timespan,
  shifts geo.timespans,
  names textrange,
  code text COLLATE bytes,
  place text COLLATE geo.root_ci
);
CREATE INDEX readings_place_idx ON readings (place);
