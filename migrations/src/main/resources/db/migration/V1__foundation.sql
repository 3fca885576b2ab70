-- Montage foundation: tenants, API keys, the job queue (jobs → tasks → items) and workers.
--
-- Roles (created by deploy/local/setup-db.sh, names passed in as Flyway placeholders):
--   owner (runs this file)  owns every table; FORCE ROW LEVEL SECURITY keeps even the owner inside the policies.
--   ${appRole}              the application's login role: sees one tenant's rows, chosen per transaction with
--                           SET LOCAL montage.tenant_id.
--   ${systemRole}           NOLOGIN, BYPASSRLS; the application enters it with SET LOCAL ROLE for the few
--                           cross-tenant operations (API-key lookup, queue claims, lease reaping, tenant admin).

CREATE EXTENSION IF NOT EXISTS vector;

-- The tenant of the current transaction, or NULL when none was set (then every policy below matches nothing).
CREATE FUNCTION montage_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('montage.tenant_id', true), '')::uuid $$;

CREATE TABLE tenants (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug       text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status     text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- First characters of the key's secret part: an indexed lookup that never reveals the key.
    lookup_prefix text        NOT NULL,
    -- SHA-256 of the whole key; the key itself is shown once at creation and never stored.
    secret_hash   bytea       NOT NULL CHECK (length(secret_hash) = 32),
    scopes        text[]      NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_keys_lookup ON api_keys (lookup_prefix);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE jobs (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    type            text        NOT NULL,
    status          text        NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    priority        smallint    NOT NULL,
    params          jsonb       NOT NULL DEFAULT '{}',
    -- Counts move once per finished task (never per item), in the transaction that finishes the task.
    total_items     integer     NOT NULL CHECK (total_items >= 0),
    succeeded_items integer     NOT NULL DEFAULT 0,
    failed_items    integer     NOT NULL DEFAULT 0,
    cancelled_items integer     NOT NULL DEFAULT 0,
    total_tasks     integer     NOT NULL CHECK (total_tasks >= 0),
    finished_tasks  integer     NOT NULL DEFAULT 0,
    -- Tasks that exhausted their attempts; any makes the job 'failed' once all tasks have finished.
    dead_tasks      integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz,
    CHECK (succeeded_items + failed_items + cancelled_items <= total_items),
    CHECK (finished_tasks <= total_tasks)
);
CREATE INDEX jobs_tenant_created ON jobs (tenant_id, created_at DESC, id DESC);

CREATE TABLE tasks (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id           uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    tenant_id        uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    type             text        NOT NULL,
    status           text        NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'succeeded', 'retrying', 'dead', 'cancelled')),
    priority         smallint    NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    max_attempts     integer     NOT NULL CHECK (max_attempts >= 1),
    run_after        timestamptz NOT NULL DEFAULT now(),
    lease_owner      uuid,
    -- A fresh token per claim: a worker whose lease expired and was reclaimed can no longer finish the task.
    lease_token      uuid,
    lease_expires_at timestamptz,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    CHECK ((status = 'running') = (lease_token IS NOT NULL))
);
CREATE INDEX tasks_claimable ON tasks (priority DESC, run_after, id) WHERE status IN ('queued', 'retrying');
CREATE INDEX tasks_leased ON tasks (lease_expires_at) WHERE status = 'running';
CREATE INDEX tasks_job ON tasks (job_id);

CREATE TABLE items (
    job_id        uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq           integer     NOT NULL,
    tenant_id     uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    task_id       bigint      NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    custom_id     text,
    input         jsonb       NOT NULL,
    status        text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'succeeded', 'failed', 'cancelled')),
    result        jsonb,
    error_code    text,
    error_message text,
    finished_at   timestamptz,
    PRIMARY KEY (job_id, seq),
    CHECK ((status = 'failed') = (error_code IS NOT NULL))
);
CREATE INDEX items_task ON items (task_id);

CREATE TABLE workers (
    id           uuid PRIMARY KEY,
    host         text        NOT NULL,
    pid          bigint      NOT NULL,
    capabilities text[]      NOT NULL,
    status       text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'draining', 'stopped')),
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    stopped_at   timestamptz
);

-- Row-level security: enabled and forced on every tenant-owned table.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (id = montage_current_tenant());

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys USING (tenant_id = montage_current_tenant());

ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON jobs USING (tenant_id = montage_current_tenant());

ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE tasks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tasks USING (tenant_id = montage_current_tenant());

ALTER TABLE items ENABLE ROW LEVEL SECURITY;
ALTER TABLE items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON items USING (tenant_id = montage_current_tenant());

-- Privileges. workers is infrastructure, not tenant data: only the system role touches it.
GRANT USAGE ON SCHEMA public TO ${appRole}, ${systemRole};
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, api_keys, jobs, tasks, items TO ${appRole}, ${systemRole};
GRANT SELECT, INSERT, UPDATE, DELETE ON workers TO ${systemRole};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${appRole}, ${systemRole};
GRANT EXECUTE ON FUNCTION montage_current_tenant() TO ${appRole}, ${systemRole};
