-- min-major: 18
-- PostgreSQL 18: temporal keys (WITHOUT OVERLAPS, PERIOD) and NOT ENFORCED
-- checks and foreign keys, written by hand.
CREATE EXTENSION btree_gist;
CREATE TABLE rooms (
  id int,
  valid_at tstzrange,
  floor int,
  name text,
  PRIMARY KEY (id, valid_at WITHOUT OVERLAPS),
  CONSTRAINT rooms_floor_name UNIQUE NULLS NOT DISTINCT (floor, name, valid_at WITHOUT OVERLAPS) INCLUDE (id) DEFERRABLE,
  CHECK (floor > 0) NOT ENFORCED
);
COMMENT ON CONSTRAINT rooms_pkey ON rooms IS 'one row per room and period';
CREATE TABLE plans (
  code text,
  open_on datemultirange,
  UNIQUE (code, open_on WITHOUT OVERLAPS)
);
CREATE TABLE bookings (
  id int PRIMARY KEY,
  room_id int,
  valid_at tstzrange,
  guest text,
  plan text,
  plan_on datemultirange,
  FOREIGN KEY (room_id, PERIOD valid_at) REFERENCES rooms,
  CONSTRAINT bookings_plan FOREIGN KEY (plan, PERIOD plan_on) REFERENCES plans (code, PERIOD open_on) DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT guest_known FOREIGN KEY (room_id) REFERENCES bookings (id) NOT ENFORCED,
  CONSTRAINT guest_named CHECK (guest <> '') NO INHERIT NOT ENFORCED
);
-- NOT ENFORCED after the fact, and on a constraint added NOT VALID.
CREATE TABLE stays (room_id int REFERENCES bookings, n int, CONSTRAINT n_small CHECK (n < 10) NOT ENFORCED NOT VALID);
ALTER TABLE stays ALTER CONSTRAINT stays_room_id_fkey NOT ENFORCED;
ALTER TABLE stays ADD CONSTRAINT stays_room_again FOREIGN KEY (room_id) REFERENCES bookings NOT VALID;
ALTER TABLE stays ALTER CONSTRAINT stays_room_again NOT ENFORCED;
-- A temporal unique on the primary key's columns: CREATE TABLE would fold
-- it into the key, so it was added apart; the plain unique is not folded.
CREATE TABLE twice (id int, during tstzrange, PRIMARY KEY (id, during WITHOUT OVERLAPS), UNIQUE (id, during));
ALTER TABLE twice ADD CONSTRAINT twice_again UNIQUE (id, during WITHOUT OVERLAPS);
