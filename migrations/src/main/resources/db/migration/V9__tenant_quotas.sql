-- Admission control (ADR 0009): per-tenant quotas and rate limits, the daily usage they are checked against, and
-- the indexes that keep the admission checks to one small index scan each.

-- The quotas an operator set for a tenant; NULL is the configured default (montage.quotas.*), so changing a
-- default reaches every tenant that has no quota of its own.
CREATE TABLE tenant_quotas (
    tenant_id           uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    items_per_day       bigint      CHECK (items_per_day >= 0),
    inflight_jobs       integer     CHECK (inflight_jobs >= 0),
    collection_items    bigint      CHECK (collection_items >= 0),
    requests_per_minute integer     CHECK (requests_per_minute >= 1),
    burst               integer     CHECK (burst >= 1),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

-- Items submitted per UTC day, synchronous and bulk together. A request adds its count with one upsert, the last
-- statement of the transaction that enqueues its items, so the row is locked only from there to the commit: a
-- bulk upload streaming for minutes never holds it while it reads.
CREATE TABLE tenant_usage (
    tenant_id uuid   NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    day       date   NOT NULL,
    items     bigint NOT NULL CHECK (items >= 0),
    PRIMARY KEY (tenant_id, day)
);

-- A tenant's bulk jobs in flight, counted when it submits another.
CREATE INDEX jobs_in_flight ON jobs (tenant_id, priority) WHERE status IN ('queued', 'running');
-- A model's waiting tasks by priority: the backlog of synchronous requests is counted before each one is queued.
CREATE INDEX tasks_waiting_by_model ON tasks (model_id, priority) WHERE status IN ('queued', 'retrying');

-- Tenant data under the same row-level security as every tenant table: a tenant's transaction sees its own quotas
-- and adds to its own usage. Which rows: the policy; which commands: the grants. ${appRole} may only read quotas
-- (it inherits no privileges of ${systemRole}, deploy/local/setup-db.sh makes it NOINHERIT); operators write them
-- as ${systemRole} (admin set-quotas, the console).
ALTER TABLE tenant_quotas ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_quotas FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_quotas USING (tenant_id = montage_current_tenant());

ALTER TABLE tenant_usage ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_usage FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_usage USING (tenant_id = montage_current_tenant());

GRANT SELECT ON tenant_quotas TO ${appRole};
GRANT SELECT, INSERT, UPDATE ON tenant_usage TO ${appRole};
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_quotas, tenant_usage TO ${systemRole};
