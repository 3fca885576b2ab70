-- The console dashboard (issue 9): items finished per minute, the device each worker runs its models on, and the
-- index behind "recent failures". Each is read by the dashboard every few seconds with a million items queued, so
-- none of them may cost a count over items (docs/benchmarks.md, "Console dashboard").

-- What DJL runs this worker's models on (cpu(), gpu(0) …), reported at registration; NULL for a process that runs
-- no models.
ALTER TABLE workers ADD COLUMN device text;

-- Items each worker finished, per minute of the database's clock. A worker adds what it finished since its last
-- heartbeat with that heartbeat, to its own row of the minute: nothing is written per item or per task, and no two
-- workers ever write the same row. The dashboard sums the last hour's rows (60 minutes × workers); the workers'
-- cleaner deletes rows past montage.worker.throughput-retention.
CREATE TABLE throughput (
    minute    timestamptz NOT NULL CHECK (minute = date_bin('1 minute', minute, timestamptz 'epoch')),
    worker_id uuid        NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    succeeded bigint      NOT NULL CHECK (succeeded >= 0),
    failed    bigint      NOT NULL CHECK (failed >= 0),
    PRIMARY KEY (minute, worker_id)
);

-- The latest failed items, newest first, whatever their job or tenant: the dashboard reads a few hundred entries
-- of it. Only failed items are in it, so an item that succeeds adds nothing to the index (measured: no cost to
-- writing outcomes, docs/benchmarks.md).
CREATE INDEX items_failed_recent ON items (finished_at DESC) WHERE status = 'failed';

-- Infrastructure like workers: only the system role touches it.
GRANT SELECT, INSERT, UPDATE, DELETE ON throughput TO ${systemRole};
