-- CLUSTER ON (the index CLUSTER uses; the AdventureWorks sample has 68): a table's and a
-- materialized view's are modelled (`cluster_on:`), never silently lost
CREATE TABLE c (id int PRIMARY KEY, note text);
CLUSTER c USING c_pkey;
CREATE MATERIALIZED VIEW m AS SELECT 1 AS x;
CREATE INDEX m_x_idx ON m (x);
CLUSTER m USING m_x_idx;
