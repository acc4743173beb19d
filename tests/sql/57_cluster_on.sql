-- CLUSTER ON (the index CLUSTER uses; the AdventureWorks sample has 68): a table's is modelled
-- (`cluster_on:`), a materialized view's still reported, never silently lost
-- unmanaged: cluster settings public.m using m_x_idx
CREATE TABLE c (id int PRIMARY KEY, note text);
CLUSTER c USING c_pkey;
CREATE MATERIALIZED VIEW m AS SELECT 1 AS x;
CREATE INDEX m_x_idx ON m (x);
CLUSTER m USING m_x_idx;
