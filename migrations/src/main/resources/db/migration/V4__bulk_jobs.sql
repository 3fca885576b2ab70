-- Bulk jobs: idempotent submission and retention.

-- The same Idempotency-Key with the same request returns the same job; with another request it is a conflict.
ALTER TABLE jobs ADD COLUMN idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 255);
ALTER TABLE jobs ADD COLUMN request_hash bytea;
CREATE UNIQUE INDEX jobs_idempotency ON jobs (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Inputs and results are kept until then; the cleaner deletes finished jobs past it (items and tasks cascade).
ALTER TABLE jobs ADD COLUMN expires_at timestamptz;
CREATE INDEX jobs_expiry ON jobs (expires_at) WHERE expires_at IS NOT NULL;
