-- The fair claim (ADR 0008) as a function of the system role, so that a worker's claim is ONE statement in ONE round
-- trip (ADR 0001, "Round trips"). Sent as itself, the claim needed the system role and synchronous_commit = off in
-- front of it; pgjdbc puts a Sync before a prepared statement whose rows hold text (its params, its items), so the
-- claim ran in a transaction of 3 round trips (BEGIN and the settings; the claim; COMMIT). Called through this
-- function it needs nothing in front: SECURITY DEFINER enters the system role (BYPASSRLS), the function turns off
-- the commit's wait for the WAL flush for its own implicit transaction (set_config(…, true) outside a SET clause
-- lasts to the commit), and PL/pgSQL keeps the statement's plan per session.
--
-- The plan is the generic one (plan_cache_mode in the SET clause, for the function's statements only): the limits are
-- parameters here, and the generic plan was measured equal to the custom one on 100,000 queued tasks of one tenant
-- (165-187 buffers either way, ClaimCostTest), where planning the statement each time cost 1.2-3 ms, more than
-- running it. The statement itself is the claim TaskClaims used to send; the predicate on status must stay the
-- literal list of TaskTransition.CLAIM's from-statuses, so that the planner proves the partial indexes of V8.
-- Parameters: the minimum priority; the served types; the loaded models; owners least recently served first; the
-- worker; the lease in seconds; the stored input bytes up to which a task's items come with it; the tasks to claim;
-- the tasks ranked per queue and per owner (the claim plus the slack for claimers racing for one queue's head);
-- whether tasks whose worker died running them (crashes > 0) may be taken: only by a worker running nothing
-- else, so that such a suspect's next crash is its own (the worker runs it alone; TaskLeases.reapExpiredLeases).
-- A lease expiry (the worker died or was cut off) is no handler failure: it is counted here, not in attempts
-- (montage.queue.max-crashes; TaskLeases.reapExpiredLeases splits a task that keeps crashing its workers).
ALTER TABLE tasks ADD COLUMN crashes integer NOT NULL DEFAULT 0 CHECK (crashes >= 0);

CREATE FUNCTION montage_claim_tasks(p_min_priority integer, p_types text[], p_models uuid[], p_recency uuid[],
                                    p_worker uuid, p_lease_seconds double precision, p_carried_bytes bigint,
                                    p_max integer, p_window integer, p_suspects boolean)
    RETURNS TABLE (id bigint, job_id uuid, tenant_id uuid, type text, priority smallint, model_id uuid, params text,
                   attempts integer, max_attempts integer, lease_token uuid, lease_expires_at timestamptz,
                   crashes integer, carried boolean, seq integer, custom_id text, input text, input_bytes bytea)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, public
    SET plan_cache_mode = force_generic_plan
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
        SELECT c.id, q.priority, q.owner, c.run_after,
               row_number() OVER (PARTITION BY q.priority, q.owner ORDER BY c.run_after, c.id) AS rank
          FROM queues q CROSS JOIN LATERAL (
              SELECT id, run_after FROM tasks
               WHERE status IN ('queued', 'retrying') AND priority = q.priority
                 AND coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid) = q.owner
                 AND coalesce(model_id, '00000000-0000-0000-0000-000000000000'::uuid) = q.model
                 AND type = q.type AND run_after <= now() AND (p_suspects OR crashes = 0)
               ORDER BY run_after, id LIMIT p_window) c
         WHERE q.type = ANY(p_types)
           AND (q.model = '00000000-0000-0000-0000-000000000000'::uuid OR q.model = ANY(p_models))
    ), ranked AS (
        SELECT c.id, c.priority, c.run_after,
               c.rank + (SELECT count(*) FROM tasks
                          WHERE status = 'running'
                            AND coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid) = c.owner) AS share,
               coalesce(array_position(p_recency, c.owner), 0) AS recency
          FROM candidates c WHERE c.rank <= p_window
         ORDER BY priority DESC, share, recency, run_after, id
        OFFSET 0 -- a fence: only the tasks taken below are looked up and locked, not every candidate
    ), next AS (
        SELECT t.id FROM ranked r JOIN tasks t ON t.id = r.id
         WHERE t.status IN ('queued', 'retrying')
         ORDER BY r.priority DESC, r.share, r.recency, r.run_after, r.id
         LIMIT p_max FOR UPDATE OF t SKIP LOCKED
    ), claimed AS (
        UPDATE tasks t SET status = 'running', attempts = t.attempts + 1, lease_owner = p_worker,
               lease_token = gen_random_uuid(), lease_expires_at = now() + make_interval(secs => p_lease_seconds),
               started_at = coalesce(t.started_at, now())
          FROM next, jobs j WHERE t.id = next.id AND j.id = t.job_id
        RETURNING t.id, t.job_id, t.tenant_id, t.type, t.priority, t.model_id, j.params::text AS params,
                  t.attempts, t.max_attempts, t.lease_token, t.lease_expires_at, t.crashes
    ), started AS (
        UPDATE jobs SET status = 'running', started_at = now()
         WHERE id IN (SELECT job_id FROM claimed) AND status = 'queued'
    ), carried AS (
        -- stored sizes, read from the TOAST pointers without reading the values
        SELECT c.*, (SELECT coalesce(sum(pg_column_size(i.input) + coalesce(pg_column_size(i.input_bytes), 0)), 0)
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
