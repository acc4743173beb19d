-- CLUSTER ON (the index CLUSTER uses) is a table property strata does not model yet: reported,
-- never silently lost (found on the AdventureWorks sample, 68 of them)
-- unmanaged: cluster settings public.c using c_pkey, cluster settings public.m using m_x_idx
CREATE TABLE c (id int PRIMARY KEY, note text);
CLUSTER c USING c_pkey;
CREATE MATERIALIZED VIEW m AS SELECT 1 AS x;
CREATE INDEX m_x_idx ON m (x);
CLUSTER m USING m_x_idx;
