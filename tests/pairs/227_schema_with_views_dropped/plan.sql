-- strata: materialized view reports.counts is dropped: queries using it fail until it exists again
-- strata: ACCESS EXCLUSIVE lock on "reports"."counts"; while the materialized view is dropped
DROP MATERIALIZED VIEW "reports"."counts";

-- strata: view reports.names is dropped: queries using it fail until it exists again
DROP VIEW "reports"."names";

-- DESTRUCTIVE: drops schema reports
DROP SCHEMA "reports";
