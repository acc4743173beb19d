-- CHECK constraint and column default calling a user function (managed)
CREATE FUNCTION is_slug(t text) RETURNS boolean IMMUTABLE LANGUAGE sql AS $$ SELECT t ~ '^[a-z0-9-]+$' $$;
CREATE FUNCTION new_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;
CREATE TABLE pages (id int PRIMARY KEY, slug text NOT NULL CHECK (is_slug(slug)), code text DEFAULT new_code());
