-- Guide 002: base mixin on every table, association tables, circular FKs
CREATE TABLE organizations (
    id UUID PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    created_by UUID,
    updated_at TIMESTAMP WITH TIME ZONE,
    updated_by UUID,
    is_active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE TABLE users (
    id UUID PRIMARY KEY,
    organization_id UUID REFERENCES organizations(id),
    email VARCHAR(255) NOT NULL UNIQUE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    created_by UUID REFERENCES users(id),
    updated_at TIMESTAMP WITH TIME ZONE,
    updated_by UUID REFERENCES users(id),
    is_active BOOLEAN NOT NULL DEFAULT TRUE
);
ALTER TABLE organizations ADD CONSTRAINT fk_organizations_created_by_users FOREIGN KEY (created_by) REFERENCES users(id);
ALTER TABLE organizations ADD CONSTRAINT fk_organizations_updated_by_users FOREIGN KEY (updated_by) REFERENCES users(id);
CREATE TABLE monitors (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    interval_seconds INTEGER NOT NULL DEFAULT 60 CHECK (interval_seconds BETWEEN 10 AND 86400),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    is_active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE TABLE teams (id UUID PRIMARY KEY, name VARCHAR(100) NOT NULL);
CREATE TABLE user_teams (
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    team_id UUID NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    role VARCHAR(20) NOT NULL DEFAULT 'member',
    PRIMARY KEY (user_id, team_id)
);
CREATE TABLE monitor_teams (
    monitor_id UUID REFERENCES monitors(id),
    team_id UUID REFERENCES teams(id),
    CONSTRAINT uq_monitor_teams UNIQUE (monitor_id, team_id)
);
