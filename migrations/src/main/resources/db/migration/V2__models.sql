-- The model registry, and model-bound work in the queue.

-- Models are platform-wide (registered by operators, usable by every tenant), so this table has no tenant_id
-- and no row-level security: tenants may read it, only the system role writes it.
CREATE TABLE models (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name           text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),
    version        text        NOT NULL CHECK (length(version) BETWEEN 1 AND 50),
    kind           text        NOT NULL,
    embedding_dim  integer     NOT NULL CHECK (embedding_dim > 0),
    manifest       jsonb       NOT NULL,
    -- Where the operator registered it from (a path or an http(s) URL), and the verified copy workers load.
    source         text        NOT NULL,
    bundle_path    text        NOT NULL,
    status         text        NOT NULL DEFAULT 'validating'
        CHECK (status IN ('validating', 'ready', 'failed', 'retired')),
    failure_reason text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    ready_at       timestamptz,
    retired_at     timestamptz,
    UNIQUE (name, version),
    CHECK ((status = 'failed') = (failure_reason IS NOT NULL))
);

ALTER TABLE tenants ADD COLUMN default_model_id uuid REFERENCES models (id);

-- Work for a model is claimed only by workers that loaded it.
ALTER TABLE jobs ADD COLUMN model_id uuid REFERENCES models (id);
ALTER TABLE tasks ADD COLUMN model_id uuid REFERENCES models (id);

-- Platform work (validating a model bundle) belongs to no tenant: tenant_id NULL, so no tenant policy ever
-- matches it and only the system role sees it.
ALTER TABLE jobs ALTER COLUMN tenant_id DROP NOT NULL;
ALTER TABLE tasks ALTER COLUMN tenant_id DROP NOT NULL;
ALTER TABLE items ALTER COLUMN tenant_id DROP NOT NULL;

GRANT SELECT ON models TO ${appRole};
GRANT SELECT, INSERT, UPDATE, DELETE ON models TO ${systemRole};
