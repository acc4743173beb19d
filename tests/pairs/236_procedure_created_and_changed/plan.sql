SET LOCAL check_function_bodies = off;

CREATE SCHEMA "app";

CREATE OR REPLACE PROCEDURE app.rotate()
 LANGUAGE sql
AS $procedure$delete from public.log$procedure$;

CREATE OR REPLACE PROCEDURE public.purge(IN days integer)
 LANGUAGE plpgsql
 SECURITY DEFINER
AS $procedure$begin delete from log where at < now() - make_interval(days => days); end$procedure$;
