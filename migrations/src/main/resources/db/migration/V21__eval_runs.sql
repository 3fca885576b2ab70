-- Evaluation runs (issue 11): a run measures one model version or several on one dataset version for one task. Each
-- model's work is one job of type "evaluate" on the workers (its items are ranges of the dataset's entries); the
-- metrics are computed from the job's stored item results once it has succeeded and are kept here, with the record
-- that makes the run reproducible (ADR 0015).

CREATE TABLE eval_runs (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id          uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    dataset_version_id uuid        NOT NULL REFERENCES dataset_versions (id) ON DELETE CASCADE,
    task               text        NOT NULL CHECK (task IN ('zero_shot_classification', 'retrieval')),
    -- the prompt templates used ({} = the label); empty for retrieval
    templates          text[]      NOT NULL DEFAULT '{}',
    -- running until every model's metrics are in (succeeded) or one model's job failed or was cancelled (failed)
    status             text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
    -- what reproduces it: dataset name, version number and content hash, templates, the Montage version
    record             jsonb       NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    finished_at        timestamptz
);
CREATE INDEX eval_runs_tenant ON eval_runs (tenant_id, created_at DESC);

-- One row per model of a run: its job, the bundle's identity, and once the job succeeded its metrics and cost.
CREATE TABLE eval_run_models (
    run_id       uuid        NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
    tenant_id    uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    position     integer     NOT NULL CHECK (position >= 0),
    model_id     uuid        NOT NULL REFERENCES models (id),
    -- the model's reference (name@version) and the SHA-256 of its manifest's file hashes: the exact weights
    model_ref    text        NOT NULL,
    model_sha256 text        NOT NULL CHECK (model_sha256 ~ '^[0-9a-f]{64}$'),
    -- the job expires with the queue's retention; the results below outlive it
    job_id       uuid REFERENCES jobs (id) ON DELETE SET NULL,
    results      jsonb,
    cost         jsonb,
    failure      text,
    finished_at  timestamptz,
    PRIMARY KEY (run_id, position),
    UNIQUE (run_id, model_id)
);

ALTER TABLE eval_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE eval_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON eval_runs USING (tenant_id = montage_current_tenant());

ALTER TABLE eval_run_models ENABLE ROW LEVEL SECURITY;
ALTER TABLE eval_run_models FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON eval_run_models USING (tenant_id = montage_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON eval_runs, eval_run_models TO ${appRole}, ${systemRole};
