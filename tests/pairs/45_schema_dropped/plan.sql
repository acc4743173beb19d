-- DESTRUCTIVE: drops table old.t and all its rows
DROP TABLE "old"."t";

-- DESTRUCTIVE: drops schema old
DROP SCHEMA "old";
