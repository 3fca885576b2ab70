-- Evaluation-gated promotion (issue 11): a tenant's gate. When on, the tenant's default model (and, opted in, a
-- collection's model) switches to a candidate version only if the candidate's latest evaluation on the newest
-- version of the gate dataset is at least as good, by the metric and margin, as the incumbent's (ADR 0020). No row:
-- the gate is off. Also: an evaluation run an admin cancelled is 'cancelled', not 'failed'.

CREATE TABLE promotion_gates (
    tenant_id     uuid          PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    enabled       boolean       NOT NULL,
    -- the gate dataset by name and space; which version is decided at each promotion (the newest) and recorded
    dataset_name  text          NOT NULL CHECK (length(dataset_name) BETWEEN 1 AND 200),
    dataset_space text          NOT NULL CHECK (dataset_space IN ('tenant', 'shared')),
    metric        text          NOT NULL CHECK (metric ~ '^[a-z0-9_]{1,64}$'),
    -- candidate >= incumbent - margin; metrics are shares, so the margin is one too
    margin        numeric(6, 5) NOT NULL CHECK (margin BETWEEN -1 AND 1),
    collections   boolean       NOT NULL DEFAULT false,
    updated_at    timestamptz   NOT NULL DEFAULT now()
);

ALTER TABLE promotion_gates ENABLE ROW LEVEL SECURITY;
ALTER TABLE promotion_gates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON promotion_gates USING (tenant_id = montage_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON promotion_gates TO ${appRole}, ${systemRole};

ALTER TABLE eval_runs DROP CONSTRAINT eval_runs_status_check;
ALTER TABLE eval_runs ADD CONSTRAINT eval_runs_status_check
    CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled'));
-- the finisher's scan on the workers: runs still running
CREATE INDEX eval_runs_running ON eval_runs (created_at) WHERE status = 'running';
