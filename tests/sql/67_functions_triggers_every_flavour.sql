-- Functions, procedures and triggers of every flavour strata models, pulled and planned back to nothing
CREATE SCHEMA app;
CREATE TABLE items (id serial PRIMARY KEY, name text, qty int, updated_at timestamptz);
CREATE TABLE "Audit Log" (id bigserial PRIMARY KEY, note text);
CREATE FUNCTION label(n integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'int ' || n $$;
CREATE FUNCTION label(n text, suffix text DEFAULT '!') RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT n || suffix $$;
CREATE FUNCTION twice(x integer) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN x * 2;
CREATE FUNCTION item_count() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM items; END;
CREATE FUNCTION app."Who Am I"() RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = app, pg_temp SET work_mem = '8MB' COST 7 AS $$ SELECT current_user::text $$;
CREATE FUNCTION names(OUT id integer, OUT name text) RETURNS SETOF record LANGUAGE sql ROWS 50 AS $$ SELECT id, name FROM items $$;
CREATE FUNCTION by_qty(min_qty integer) RETURNS TABLE(id integer, qty integer) LANGUAGE sql STRICT AS $$ SELECT id, qty FROM items WHERE qty >= min_qty $$;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
CREATE FUNCTION note() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN INSERT INTO "Audit Log" (note) VALUES (TG_ARGV[0]); RETURN NULL; END';
CREATE PROCEDURE app.restock(INOUT amount integer, item integer DEFAULT 1) LANGUAGE plpgsql AS $$ BEGIN UPDATE public.items SET qty = qty + amount WHERE id = item; END $$;
CREATE AGGREGATE total_len(text) (SFUNC = textcat, STYPE = text);
COMMENT ON FUNCTION twice(integer) IS 'Doubles';
COMMENT ON PROCEDURE app.restock(integer, integer) IS 'Adds stock';
CREATE TRIGGER items_touch BEFORE INSERT OR UPDATE OF name, qty ON items FOR EACH ROW WHEN (NEW.qty IS NOT NULL) EXECUTE FUNCTION touch();
CREATE TRIGGER items_note AFTER DELETE ON items REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION note('deleted', 'it''s');
CREATE CONSTRAINT TRIGGER items_later AFTER UPDATE ON items DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION note('late');
CREATE TRIGGER "Truncated" AFTER TRUNCATE ON items FOR EACH STATEMENT EXECUTE FUNCTION note();
ALTER TABLE items DISABLE TRIGGER items_note;
ALTER TABLE items ENABLE REPLICA TRIGGER "Truncated";
COMMENT ON TRIGGER items_touch ON items IS 'Keeps updated_at';
