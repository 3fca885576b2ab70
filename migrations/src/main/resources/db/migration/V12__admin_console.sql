-- The admin console (issue 9): the operators who sign in to it, and the audit log of what they changed.
-- Both are platform tables, not tenant data: no tenant_id, no row-level security; the grants say who may do what.

-- An operator of the platform, apart from tenants and their API keys. 'viewer' may look, never change.
CREATE TABLE admin_users (
    id            uuid PRIMARY KEY,
    username      text        NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
    role          text        NOT NULL CHECK (role IN ('admin', 'viewer')),
    -- An Argon2id hash in PHC string form ($argon2id$v=19$m=…,t=…,p=…$salt$hash): never the password.
    password_hash text        NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz
);

-- Who did what to which target, when, and how it ended. Append-only: no role the application can be (the login
-- role, the system role it enters) may change or remove a row, so the log of a change cannot be rewritten by the
-- process that made it. Only the owner (migrations, an operator at the database) could.
CREATE TABLE audit_log (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    actor   text        NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
    action  text        NOT NULL CHECK (action ~ '^[a-z][a-z0-9_.-]{0,99}$'),
    target  text        NOT NULL CHECK (length(target) <= 500),
    outcome text        NOT NULL CHECK (outcome IN ('ok', 'failed', 'denied')),
    detail  text        CHECK (length(detail) <= 2000)
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);

GRANT SELECT, INSERT, UPDATE ON admin_users TO ${systemRole};
GRANT SELECT, INSERT ON audit_log TO ${appRole}, ${systemRole};
GRANT USAGE ON SEQUENCE audit_log_id_seq TO ${appRole}, ${systemRole};
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ${appRole}, ${systemRole};
