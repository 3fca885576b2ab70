-- A model switch is under way exactly while its re-embedding job is queued or running. With the job recorded on
-- the collection, a switch whose job was cancelled or failed is over by itself: writes are accepted again and a
-- new switch may start (which first clears any vectors the abandoned one left in next_embedding).
ALTER TABLE collections ADD COLUMN switch_job_id uuid REFERENCES jobs (id) ON DELETE SET NULL;
