-- Issue 10: the fair claim (V27's montage_claim_tasks, same signature, same rows, same order) with plans that cannot
-- scan a whole queue. pg_stat_statements put the claim at 70 % of the queue's statement time (1.15 of 1.63 ms per
-- single-item job, docs/benchmarks.md "Session 7"). The plan is generic and made once per session (V27), from the
-- statistics of that moment, often a short queue; auto_explain of V27's plan in the queue bench showed steps that
-- grow with the queue instead of with the claim:
-- - the lock step joined the ranked ids back to tasks through a scan of a partial index of waiting tasks, whose
--   trailing id column cannot be sought; here each ranked task is found by its tuple id (ctid, read with it from
--   the index a moment before): a TID scan reads one page, and no index scan, which reads an index page and that same
--   heap page, can cost less. The LATERAL lock is pulled by the LIMIT in ranked's order, so only the tasks taken are
--   locked, as before; a task updated since (claimed, cancelled) is re-checked on its newest version (status), as
--   any row lock is;
-- - the started step found the claimed tasks' jobs through a bitmap scan of every in-flight job's jobs_in_flight
--   entry (4,699 of them for one job in the bench); here by the tuple id the claim's join to jobs read;
-- - the owner's running count ran once per candidate (p_window of them per queue); here once per owner
--   (MATERIALIZED: inlined, it ran per candidate again);
-- - enable_seqscan = off for the function's statements: on a table that is small when the session plans, a
--   sequential scan is the cheapest way to find one row, and the plan would keep it as the table grows. Every access
--   here is by key; the setting only takes that choice away (ClaimCostTest plans on 10 jobs and claims from 10,010).
-- Measured (run-queue-bench.sh --statements, docs/benchmarks.md "Session 8"): the call 1.31 → 0.78 ms per job, its
-- statement 1.10 → 0.50. The rest, and why it is a function, is V27's comment.
-- One more column: the job's request_id (V34), which a worker read apart before each task's handler (JobRequestIds,
-- one round trip on every sync request's path) and now gets with the claim. A new result type means a new function:
-- dropped and created again, with V27's owner and grants.
DROP FUNCTION montage_claim_tasks(integer, text[], uuid[], uuid[], uuid, double precision, bigint, integer, integer,
                                  boolean);
CREATE FUNCTION montage_claim_tasks(p_min_priority integer, p_types text[], p_models uuid[], p_recency uuid[],
                                    p_worker uuid, p_lease_seconds double precision, p_carried_bytes bigint,
                                    p_max integer, p_window integer, p_suspects boolean)
    RETURNS TABLE (id bigint, job_id uuid, tenant_id uuid, type text, priority smallint, model_id uuid, params text,
                   attempts integer, max_attempts integer, lease_token uuid, lease_expires_at timestamptz,
                   crashes integer, request_id text, carried boolean, seq integer, custom_id text, input text,
                   input_bytes bytea)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, public
    SET plan_cache_mode = force_generic_plan
    SET enable_seqscan = off
AS $$
#variable_conflict use_column
BEGIN
    -- a claim lost in a crash only hands its task back (ADR 0001, "Commits and plans")
    PERFORM set_config('synchronous_commit', 'off', true);
    RETURN QUERY
    WITH RECURSIVE queues (priority, owner, model, type) AS (
        (SELECT priority, coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid),
                coalesce(model_id, '00000000-0000-0000-0000-000000000000'::uuid), type
           FROM tasks
          WHERE status IN ('queued', 'retrying') AND priority >= p_min_priority
          ORDER BY 1, 2, 3, 4 LIMIT 1)
        UNION ALL
        SELECT n.* FROM queues q CROSS JOIN LATERAL (
            SELECT priority, coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid),
                   coalesce(model_id, '00000000-0000-0000-0000-000000000000'::uuid), type
              FROM tasks
             WHERE status IN ('queued', 'retrying')
               AND (priority, coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid),
                    coalesce(model_id, '00000000-0000-0000-0000-000000000000'::uuid), type)
                   > (q.priority, q.owner, q.model, q.type)
             ORDER BY 1, 2, 3, 4 LIMIT 1) n
    ), candidates AS (
        SELECT c.id, c.ctid, q.priority, q.owner, c.run_after,
               row_number() OVER (PARTITION BY q.priority, q.owner ORDER BY c.run_after, c.id) AS rank
          FROM queues q CROSS JOIN LATERAL (
              SELECT id, ctid, run_after FROM tasks
               WHERE status IN ('queued', 'retrying') AND priority = q.priority
                 AND coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid) = q.owner
                 AND coalesce(model_id, '00000000-0000-0000-0000-000000000000'::uuid) = q.model
                 AND type = q.type AND run_after <= now() AND (p_suspects OR crashes = 0)
               ORDER BY run_after, id LIMIT p_window) c
         WHERE q.type = ANY(p_types)
           AND (q.model = '00000000-0000-0000-0000-000000000000'::uuid OR q.model = ANY(p_models))
    ), running (owner, tasks) AS MATERIALIZED ( -- not inlined: inlined, the count ran once per candidate again
        SELECT o.owner, (SELECT count(*) FROM tasks
                          WHERE status = 'running'
                            AND coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid) = o.owner)
          FROM (SELECT DISTINCT owner FROM candidates) o
    ), ranked AS (
        SELECT c.id, c.ctid, c.priority, c.run_after, c.rank + r.tasks AS share,
               coalesce(array_position(p_recency, c.owner), 0) AS recency
          FROM candidates c JOIN running r ON r.owner = c.owner
         WHERE c.rank <= p_window
         ORDER BY priority DESC, share, recency, run_after, id
        OFFSET 0 -- a fence: only the tasks taken below are looked up and locked, not every candidate
    ), next AS (
        SELECT t.id FROM ranked r CROSS JOIN LATERAL (
            SELECT t.id FROM tasks t
             WHERE t.ctid = r.ctid AND t.status IN ('queued', 'retrying')
               FOR UPDATE OF t SKIP LOCKED) t
         LIMIT p_max -- in ranked's order: the nested loop pulls (and locks) no task past the p_max-th
    ), claimed AS (
        UPDATE tasks t SET status = 'running', attempts = t.attempts + 1, lease_owner = p_worker,
               lease_token = gen_random_uuid(), lease_expires_at = now() + make_interval(secs => p_lease_seconds),
               started_at = coalesce(t.started_at, now())
          FROM next, jobs j WHERE t.id = next.id AND j.id = t.job_id
        RETURNING t.id, t.job_id, t.tenant_id, t.type, t.priority, t.model_id, j.params::text AS params,
                  t.attempts, t.max_attempts, t.lease_token, t.lease_expires_at, t.crashes, j.request_id,
                  j.ctid AS job_ctid
    ), started AS (
        UPDATE jobs j SET status = 'running', started_at = now()
          FROM claimed c WHERE j.ctid = c.job_ctid AND j.status = 'queued'
    ), carried AS MATERIALIZED ( -- once per task: inlined, its sum ran twice (the join and the column)
        -- stored sizes, read from the TOAST pointers without reading the values
        SELECT c.id, c.job_id, c.tenant_id, c.type, c.priority, c.model_id, c.params, c.attempts, c.max_attempts,
               c.lease_token, c.lease_expires_at, c.crashes, c.request_id,
               (SELECT coalesce(sum(pg_column_size(i.input) + coalesce(pg_column_size(i.input_bytes), 0)), 0)
                       FROM items i
                      WHERE i.task_id = c.id AND i.status = 'pending') <= p_carried_bytes AS carried
          FROM claimed c
    )
    SELECT c.*, i.seq, i.custom_id, i.input::text AS input, i.input_bytes
      FROM carried c LEFT JOIN items i ON c.carried AND i.task_id = c.id AND i.status = 'pending'
     ORDER BY c.priority DESC, c.id, i.seq;
END
$$;

REVOKE ALL ON FUNCTION montage_claim_tasks(integer, text[], uuid[], uuid[], uuid, double precision, bigint, integer,
                                           integer, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION montage_claim_tasks(integer, text[], uuid[], uuid[], uuid, double precision, bigint, integer,
                                              integer, boolean) TO ${appRole};

-- A new owner needs CREATE on the schema at the moment of the change only.
GRANT CREATE ON SCHEMA public TO ${systemRole};
ALTER FUNCTION montage_claim_tasks(integer, text[], uuid[], uuid[], uuid, double precision, bigint, integer, integer,
                                   boolean) OWNER TO ${systemRole};
REVOKE CREATE ON SCHEMA public FROM ${systemRole};
