-- The X-Request-Id of the request that submitted the job (ADR 0026): carried to the job's tasks, so that a worker's
-- log lines for them name it. Checked like the api checks it; null for platform work and jobs from before.
ALTER TABLE jobs ADD COLUMN request_id text CHECK (request_id ~ '^[A-Za-z0-9._:/+=-]{1,128}$');
