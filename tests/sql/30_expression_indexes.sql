-- Expression and partial indexes with functions, casts, collations, opclasses
CREATE TABLE docs (
  id int PRIMARY KEY,
  title text,
  body jsonb,
  created_at timestamptz NOT NULL,
  tenant int,
  deleted boolean NOT NULL DEFAULT false
);
CREATE INDEX docs_title_lower ON docs (lower(title));
CREATE INDEX docs_body_kind ON docs ((body->>'kind'));
CREATE INDEX docs_body_num ON docs (((body->>'n')::int)) WHERE body ? 'n';
CREATE INDEX docs_day ON docs (date_trunc('day', created_at AT TIME ZONE 'UTC'));
CREATE INDEX docs_tenant_live ON docs (tenant, created_at DESC) WHERE NOT deleted;
CREATE UNIQUE INDEX docs_title_per_tenant ON docs (tenant, lower(title)) WHERE deleted IS FALSE AND title IS NOT NULL;
CREATE INDEX docs_title_c ON docs (title COLLATE "C");
CREATE INDEX docs_coalesce ON docs (coalesce(tenant, -1), (title || '#' || id::text));
CREATE INDEX docs_in ON docs (id) WHERE tenant IN (1, 2, 3) AND title LIKE 'a%';
CREATE INDEX docs_substr ON docs (substring(title from 1 for 10) text_pattern_ops);
CREATE INDEX docs_year ON docs (extract(year from created_at AT TIME ZONE 'UTC'));
