-- cross-major: differs across 16 (system_user is reserved from 16 on: 14 and 15 print it bare, 16+ quoted)
-- Names that became keywords in later majors: system_user is reserved from
-- 16 on, json_table / json / merge_action are column-name keywords from 17.
-- Built here on whatever major runs; strata must quote them in what it
-- writes, or the files fail on the newer servers.
CREATE TABLE json_table (
  id int PRIMARY KEY,
  "system_user" text NOT NULL DEFAULT 'x',
  "json" jsonb,
  merge_action text CHECK (merge_action <> ''),
  json_value int
);
CREATE INDEX json_table_system_user_idx ON json_table ("system_user", merge_action);
CREATE TABLE "system_user" (id int PRIMARY KEY, json_table_id int REFERENCES json_table (id));
