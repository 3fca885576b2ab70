-- Fair claims (ADR 0008). Claimable tasks are grouped into queues of one (priority, owner, model, type); an owner is
-- the tenant, or the platform (tenant_id NULL) as the nil UUID, which no tenant has. A claim walks the distinct
-- queues with a loose index scan (one descent per queue, so the cost follows the number of queues, not their
-- length), takes the first few claimable tasks of each queue it serves, and ranks them by the owner's share of
-- running tasks. The model is part of the key so that a worker that does not serve a model (or a type) skips that
-- model's queue in one step instead of reading past every task in it.
-- The predicate must match JobQueue's claim statement (TaskTransition.CLAIM's from-statuses) for the planner to
-- use the index.
CREATE INDEX tasks_claimable_by_owner ON tasks
    (priority,
     (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid)),
     (coalesce(model_id, '00000000-0000-0000-0000-000000000000'::uuid)),
     type, run_after, id)
    WHERE status IN ('queued', 'retrying');

-- The owner's share: its running tasks, counted per claim (a handful of rows per owner).
CREATE INDEX tasks_running_by_owner ON tasks ((coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid)))
    WHERE status = 'running';

-- Replaced by tasks_claimable_by_owner: the claim was its only reader.
DROP INDEX tasks_claimable;
