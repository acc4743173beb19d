-- Views, materialized views, functions, procedures and triggers are all managed (an expression
-- index, defaults and a view use a function)
CREATE TABLE users (id serial PRIMARY KEY, first text, last text, active boolean DEFAULT true, updated_at timestamptz);
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE FUNCTION full_name(f text, l text) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT f || ' ' || l $$;
CREATE INDEX users_full_name_idx ON users (full_name(first, last));
CREATE VIEW active_users AS SELECT id, full_name(first, last) AS name FROM users WHERE active;
CREATE MATERIALIZED VIEW user_counts AS SELECT active, count(*) AS n FROM users GROUP BY active;
CREATE PROCEDURE archive(days integer) LANGUAGE sql AS $$ DELETE FROM users WHERE NOT active $$;
CREATE TABLE audit (id bigserial PRIMARY KEY, user_id int REFERENCES users, at timestamptz DEFAULT now(), name text DEFAULT full_name('a', 'b'));
