-- One object of every kind strata reports but does not model yet (issue 13, "nothing silently
-- lost"), next to a managed table; the extension's own types, functions, casts, operator
-- classes and composite types (tablefunc's crosstab row types) are not reported.
-- unmanaged: text search configurations public.my_cfg, text search dictionaries public.my_dict
-- unmanaged: text search parsers public.my_prs, text search templates public.my_tmpl
-- unmanaged: operator families public.my_fam using btree, operator classes public.my_ops using btree
-- unmanaged: conversions public.my_conv, casts text AS public.mood
-- unmanaged: event triggers my_evt
-- unmanaged: foreign data wrappers my_fdw, foreign servers my_srv, user mappings public on my_srv
-- unmanaged: access methods my_heap, languages my_lang, transforms FOR integer LANGUAGE my_lang
-- Default privileges (below) are managed when privileges are (as here: the catalog's default
-- options), so they round-trip instead of being reported.
CREATE EXTENSION tablefunc;
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE items (id int PRIMARY KEY, mood mood, body text);

CREATE TEXT SEARCH TEMPLATE my_tmpl (INIT = dsimple_init, LEXIZE = dsimple_lexize);
CREATE TEXT SEARCH PARSER my_prs (START = prsd_start, GETTOKEN = prsd_nexttoken,
  END = prsd_end, LEXTYPES = prsd_lextype, HEADLINE = prsd_headline);
CREATE TEXT SEARCH DICTIONARY my_dict (TEMPLATE = simple);
CREATE TEXT SEARCH CONFIGURATION my_cfg (COPY = english);

CREATE OPERATOR FAMILY my_fam USING btree;
CREATE OPERATOR CLASS my_ops FOR TYPE int4 USING btree FAMILY my_fam AS
  OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
  FUNCTION 1 btint4cmp(int4, int4);

CREATE CONVERSION my_conv FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
CREATE CAST (text AS mood) WITH INOUT AS ASSIGNMENT;

CREATE PUBLICATION my_pub FOR TABLE items;
CREATE FUNCTION on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER my_evt ON ddl_command_end EXECUTE FUNCTION on_ddl();

CREATE FOREIGN DATA WRAPPER my_fdw;
CREATE SERVER my_srv FOREIGN DATA WRAPPER my_fdw;
CREATE USER MAPPING FOR PUBLIC SERVER my_srv;

CREATE ACCESS METHOD my_heap TYPE TABLE HANDLER heap_tableam_handler;
CREATE LANGUAGE my_lang HANDLER plpgsql_call_handler;
-- Any built-in functions of the right signatures will do: the transform is never used.
CREATE TRANSFORM FOR int4 LANGUAGE my_lang (
  FROM SQL WITH FUNCTION gtsvector_compress(internal), TO SQL WITH FUNCTION int4recv(internal));

DO $$ BEGIN CREATE ROLE strata_adp_role; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
ALTER DEFAULT PRIVILEGES FOR ROLE strata_adp_role IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE strata_adp_role REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
