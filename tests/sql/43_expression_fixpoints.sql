-- Hand-written CHECK / default / predicate expressions whose PostgreSQL deparse may not reparse to itself
CREATE TYPE state AS ENUM ('on', 'off');
CREATE TABLE exprs (
  id int PRIMARY KEY,
  code char(2),
  kind varchar(10),
  tag text,
  st state,
  n numeric,
  d date DEFAULT ('now'::text)::date,
  at timestamptz DEFAULT CURRENT_TIMESTAMP(0),
  due date DEFAULT CURRENT_DATE + interval '7 days',
  CONSTRAINT c_char_eq CHECK (code = 'XX' OR code IS NULL),
  CONSTRAINT c_varchar_not_in CHECK (kind NOT IN ('bad', 'worse')),
  CONSTRAINT c_varchar_any CHECK (kind = ANY ('{a,b,c}'::varchar[])),
  CONSTRAINT c_text_in CHECK (tag IN ('x', 'y')),
  CONSTRAINT c_enum_in CHECK (st IN ('on')),
  CONSTRAINT c_between CHECK (n BETWEEN 0 AND 100),
  CONSTRAINT c_between_sym CHECK (n BETWEEN SYMMETRIC 100 AND 0),
  CONSTRAINT c_similar CHECK (tag SIMILAR TO '[a-z]+'),
  CONSTRAINT c_like_escape CHECK (tag NOT LIKE 'a!_%' ESCAPE '!'),
  CONSTRAINT c_distinct CHECK (code IS DISTINCT FROM 'ZZ'),
  CONSTRAINT c_case CHECK (CASE WHEN st = 'on' THEN n > 0 ELSE true END),
  CONSTRAINT c_cast_varchar CHECK (length(kind::varchar(5)) > 0),
  CONSTRAINT c_date CHECK (d > '2000-01-01')
);
CREATE INDEX exprs_kind_in ON exprs (id) WHERE kind IN ('a', 'b');
CREATE INDEX exprs_code ON exprs (code) WHERE code <> 'ZZ';
