-- min-major: 17
-- PostgreSQL 16+ ICU tailoring rules and the 17+ builtin provider on user collations
CREATE COLLATION ordered (provider = icu, locale = 'und', rules = '&a < g');
CREATE COLLATION fast (provider = builtin, locale = 'C.UTF-8');
CREATE TABLE words (w text COLLATE ordered PRIMARY KEY, f text COLLATE fast);
