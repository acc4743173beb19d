-- Type spellings from hand-written DDL: int4/int8/float8/bool, char(n), bit, time(p), arrays, money, inet
CREATE TABLE everything (
  a int4, b int8, c int2, d float4, e float8, f bool, g char(3), h character(1), i bpchar,
  j varchar, k bit(4), l varbit(10), m time(3), n timetz, o timestamp(0), p interval(2), q interval year to month,
  r numeric, s decimal(5), t money, u inet, v cidr, w macaddr, x bytea, y int[][], z text[3],
  aa double precision DEFAULT 1.5e3, bb real DEFAULT '-0', cc date DEFAULT CURRENT_DATE, dd xml, ee tsquery, ff point,
  gg int4range DEFAULT '[1,10)', hh oid, ii "char", jj name, kk json DEFAULT '[]', ll uuid DEFAULT '00000000-0000-0000-0000-000000000000'
);
