-- Row-level security policies written by hand the way multi-tenant guides (and Supabase-style stacks)
-- write them: USING and WITH CHECK, every command, RESTRICTIVE, roles with odd names, a subquery
-- reading another table, a function call, a comment, a quoted policy name with a space, a policy on
-- a partitioned table, FORCE.
DO $$ BEGIN
  CREATE ROLE app_user NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN
  CREATE ROLE "Report Reader" NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE FUNCTION current_org() RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT nullif(current_setting('app.current_org_id', true), '')::bigint $$;
CREATE TABLE organizations (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE members (org_id bigint NOT NULL REFERENCES organizations, login text NOT NULL,
    PRIMARY KEY (org_id, login));
CREATE TABLE documents (
    id bigint PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES organizations,
    kind varchar(10) NOT NULL,
    archived boolean NOT NULL DEFAULT false
);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON documents
    USING (org_id = current_org()) WITH CHECK (org_id = current_org());
CREATE POLICY "members read" ON documents FOR SELECT TO app_user, "Report Reader"
    USING (EXISTS (SELECT 1 FROM members m WHERE m.org_id = documents.org_id AND m.login = current_user));
CREATE POLICY no_archived ON documents AS RESTRICTIVE FOR SELECT USING (NOT archived);
CREATE POLICY insert_kinds ON documents FOR INSERT TO app_user WITH CHECK (kind IN ('note', 'memo'));
CREATE POLICY purge ON documents FOR DELETE TO "Report Reader" USING (archived);
CREATE POLICY edits ON documents FOR UPDATE USING (true) WITH CHECK (kind <> 'locked');
COMMENT ON POLICY purge ON documents IS 'Reporting purges archived rows';
CREATE TABLE events (org_id bigint NOT NULL, at timestamptz NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON events USING (org_id = current_org());
