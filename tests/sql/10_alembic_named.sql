-- Alembic / SQLAlchemy naming convention: pk_, fk_, ix_, uq_, ck_ names
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE organizations (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    name VARCHAR(255) NOT NULL,
    slug VARCHAR(100) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_organizations PRIMARY KEY (id),
    CONSTRAINT uq_organizations_slug UNIQUE (slug)
);
CREATE TABLE users (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    organization_id UUID NOT NULL,
    email VARCHAR(320) NOT NULL,
    is_active BOOLEAN DEFAULT true NOT NULL,
    role VARCHAR(20) DEFAULT 'member'::character varying NOT NULL,
    CONSTRAINT pk_users PRIMARY KEY (id),
    CONSTRAINT fk_users_organization_id_organizations FOREIGN KEY(organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT ck_users_role CHECK (role IN ('owner', 'admin', 'member'))
);
CREATE UNIQUE INDEX ix_users_email ON users USING btree (lower(email::text));
CREATE INDEX ix_users_organization_id ON users (organization_id);
CREATE TABLE molecules (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    organization_id UUID NOT NULL,
    smiles TEXT NOT NULL,
    molecular_weight NUMERIC(10, 4),
    properties JSONB DEFAULT '{}'::jsonb NOT NULL,
    created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc'),
    CONSTRAINT pk_molecules PRIMARY KEY (id),
    CONSTRAINT fk_molecules_organization_id_organizations FOREIGN KEY(organization_id) REFERENCES organizations (id),
    CONSTRAINT ck_molecules_weight_positive CHECK (molecular_weight > 0::numeric)
);
CREATE INDEX idx_molecules_org_created ON molecules (organization_id, created_at DESC);
CREATE INDEX ix_molecules_properties ON molecules USING gin (properties jsonb_path_ops);
CREATE TABLE docking_jobs (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    molecule_id UUID NOT NULL,
    status VARCHAR(20) DEFAULT 'pending' NOT NULL,
    priority INTEGER DEFAULT 0 NOT NULL,
    CONSTRAINT pk_docking_jobs PRIMARY KEY (id),
    CONSTRAINT fk_docking_jobs_molecule_id_molecules FOREIGN KEY(molecule_id) REFERENCES molecules (id) ON DELETE CASCADE
);
CREATE INDEX idx_jobs_status_priority ON docking_jobs (status, priority DESC) WHERE status IN ('pending', 'running');
