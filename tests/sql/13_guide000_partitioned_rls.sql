-- Guide 000: multi-tenant dashboard, hash-partitioned job_results and RLS policies
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE organizations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(255) NOT NULL,
    created_at TIMESTAMP DEFAULT NOW()
);
CREATE TABLE molecules (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id UUID NOT NULL REFERENCES organizations(id),
    name VARCHAR(255),
    smiles TEXT NOT NULL,
    created_at TIMESTAMP DEFAULT NOW()
);
CREATE TABLE docking_jobs (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id UUID NOT NULL REFERENCES organizations(id),
    molecule_id UUID NOT NULL REFERENCES molecules(id),
    status VARCHAR(20) DEFAULT 'pending',
    priority INTEGER DEFAULT 0,
    created_at TIMESTAMP DEFAULT NOW()
);
CREATE INDEX idx_molecules_org_created ON molecules(organization_id, created_at DESC);
CREATE INDEX idx_jobs_status_priority ON docking_jobs(status, priority DESC) WHERE status IN ('pending', 'running');
ALTER TABLE molecules ENABLE ROW LEVEL SECURITY;
ALTER TABLE docking_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON molecules
    USING (organization_id = current_setting('app.current_org_id')::uuid);
CREATE POLICY tenant_isolation ON docking_jobs
    USING (organization_id = current_setting('app.current_org_id')::uuid);
CREATE TABLE job_results_partitioned (
    id UUID DEFAULT gen_random_uuid(),
    organization_id UUID NOT NULL,
    job_id UUID NOT NULL,
    data JSONB,
    created_at TIMESTAMP DEFAULT NOW()
) PARTITION BY HASH (organization_id);
CREATE TABLE job_results_org_1 PARTITION OF job_results_partitioned FOR VALUES WITH (modulus 4, remainder 0);
CREATE TABLE job_results_org_2 PARTITION OF job_results_partitioned FOR VALUES WITH (modulus 4, remainder 1);
CREATE TABLE job_results_org_3 PARTITION OF job_results_partitioned FOR VALUES WITH (modulus 4, remainder 2);
CREATE TABLE job_results_org_4 PARTITION OF job_results_partitioned FOR VALUES WITH (modulus 4, remainder 3);
