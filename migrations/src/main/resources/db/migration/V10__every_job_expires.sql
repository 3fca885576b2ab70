-- Every job is deleted some day: synchronous requests (whose inputs hold base64 images) and platform work
-- (model validation, model-switch re-embedding) used to have no expiry and stayed for ever. The queue now gives
-- each job one (its own retention, or montage.queue.retention); jobs from before get a week from now.
UPDATE jobs SET expires_at = now() + interval '7 days' WHERE expires_at IS NULL;
ALTER TABLE jobs ALTER COLUMN expires_at SET NOT NULL;
