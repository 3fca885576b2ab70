-- Issue 14. A worker that dies without a word (SIGKILL, the OOM killer, a lost node) changes no row: its workers row
-- said 'running' for ever. Every worker's reaper now marks such rows 'lost' (lost_at = when it was noticed) once the
-- heartbeat is older than montage.worker.lost-after; a lost worker that heartbeats again (it was cut off, not dead)
-- is 'running' again. Stopped and lost rows are pruned after montage.worker.retention (throughput rows cascade).
ALTER TABLE workers DROP CONSTRAINT workers_status_check;
ALTER TABLE workers ADD CONSTRAINT workers_status_check
    CHECK (status IN ('running', 'draining', 'stopped', 'lost'));
ALTER TABLE workers ADD COLUMN lost_at timestamptz;
ALTER TABLE workers ADD CONSTRAINT workers_lost_at_only_when_lost CHECK ((status = 'lost') = (lost_at IS NOT NULL));

-- The queue as an operator sees it. tasks has FORCE ROW LEVEL SECURITY, so even the owner role reads no row of it
-- (operations.md's old "watching" query returned 0 rows). This function runs as the system role (BYPASSRLS, as the
-- V6 functions do) and returns aggregates only, no input or result: unfinished tasks per status, priority, model and
-- tenant, with the oldest one's age and how many were reaped at least once.
CREATE FUNCTION montage_queue_overview()
    RETURNS TABLE (status text, priority smallint, model_id uuid, tenant_id uuid, tasks bigint,
                   oldest_created_at timestamptz, next_run_after timestamptz, retried bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
    SELECT t.status, t.priority, t.model_id, t.tenant_id, count(*), min(t.created_at), min(t.run_after),
           count(*) FILTER (WHERE t.attempts > 0)
      FROM tasks t
     WHERE t.status IN ('queued', 'retrying', 'running')
     GROUP BY t.status, t.priority, t.model_id, t.tenant_id
     ORDER BY t.priority DESC, t.status, count(*) DESC
$$;
GRANT CREATE ON SCHEMA public TO ${systemRole};
ALTER FUNCTION montage_queue_overview() OWNER TO ${systemRole};
REVOKE CREATE ON SCHEMA public FROM ${systemRole};
REVOKE EXECUTE ON FUNCTION montage_queue_overview() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION montage_queue_overview() TO CURRENT_USER;
