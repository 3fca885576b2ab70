package io.montage.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.montage.jobs.TaskTransition.CLAIM;

/**
 * Claims tasks fairly across tenants, in one statement (ADR 0008). Higher priority first, as before; within a
 * priority, the owner (tenant, or the platform) with the smallest share goes first: its running tasks plus the ones
 * this claim already gave it. So tenant A's 1,000 queued tasks no longer come before tenant B's one, and one claim of
 * several tasks alternates owners. Ties go to the owner this process served least recently, then to the oldest
 * task: a worker that runs one task at a time still alternates.
 *
 * <p>Cost: a loose index scan over the distinct (priority, owner, model, type) queues of claimable tasks, the first
 * {@code max} tasks of each queue the worker serves, one count of running tasks per owner: it follows the number
 * of queues, never their length (measured in docs/benchmarks.md). Hand-written, not a library: this is the queue.
 */
final class TaskClaims {

    /** The owner of platform work (tenant_id NULL) and the model of model-free tasks; no tenant or model has it. */
    static final UUID NONE = new UUID(0, 0);

    /** Owners this process remembers serving; beyond that the least recent counts as never served. */
    private static final int REMEMBERED_OWNERS = 1024;

    private static final String NONE_SQL = "'" + NONE + "'::uuid";
    private static final String CLAIMABLE = CLAIM.from().stream().map(s -> "'" + s.wireName() + "'")
            .collect(Collectors.joining(", ", "status IN (", ")")); // literal: must prove the partial index's predicate
    private static final String OWNER = "coalesce(tenant_id, " + NONE_SQL + ")";
    private static final String MODEL = "coalesce(model_id, " + NONE_SQL + ")";

    /**
     * Parameters, in order: minimum priority; per-queue limit; served types; loaded models; owners least recently
     * served first; per-owner limit; limit; worker id; lease seconds. {@code ranked} is sorted behind a fence
     * ({@code OFFSET 0}) so that only the tasks taken are looked up and locked, not every candidate.
     */
    static final String SQL = """
            WITH RECURSIVE queues (priority, owner, model, type) AS (
                (SELECT priority, %1$s, %2$s, type FROM tasks
                  WHERE %3$s AND priority >= ?
                  ORDER BY 1, 2, 3, 4 LIMIT 1)
                UNION ALL
                SELECT n.* FROM queues q CROSS JOIN LATERAL (
                    SELECT priority, %1$s, %2$s, type FROM tasks
                     WHERE %3$s AND (priority, %1$s, %2$s, type) > (q.priority, q.owner, q.model, q.type)
                     ORDER BY 1, 2, 3, 4 LIMIT 1) n
            ), candidates AS (
                SELECT c.id, q.priority, q.owner, c.run_after,
                       row_number() OVER (PARTITION BY q.priority, q.owner ORDER BY c.run_after, c.id) AS rank
                  FROM queues q CROSS JOIN LATERAL (
                      SELECT id, run_after FROM tasks
                       WHERE %3$s AND priority = q.priority AND %1$s = q.owner AND %2$s = q.model
                         AND type = q.type AND run_after <= now()
                       ORDER BY run_after, id LIMIT ?) c
                 WHERE q.type = ANY(?) AND (q.model = %4$s OR q.model = ANY(?))
            ), ranked AS (
                SELECT c.id, c.priority, c.run_after,
                       c.rank + (SELECT count(*) FROM tasks WHERE status = '%5$s' AND %1$s = c.owner) AS share,
                       coalesce(array_position(?::uuid[], c.owner), 0) AS recency
                  FROM candidates c WHERE c.rank <= ?
                 ORDER BY priority DESC, share, recency, run_after, id
                OFFSET 0
            ), next AS (
                SELECT t.id FROM ranked r JOIN tasks t ON t.id = r.id
                 WHERE t.%3$s
                 ORDER BY r.priority DESC, r.share, r.recency, r.run_after, r.id
                 LIMIT ? FOR UPDATE OF t SKIP LOCKED)
            UPDATE tasks t SET status = '%5$s', attempts = t.attempts + 1, lease_owner = ?,
                   lease_token = gen_random_uuid(), lease_expires_at = now() + make_interval(secs => ?),
                   started_at = coalesce(t.started_at, now())
              FROM next, jobs j WHERE t.id = next.id AND j.id = t.job_id
            RETURNING t.id, t.job_id, t.tenant_id, t.type, t.priority, t.model_id, j.params::text AS params,
                      t.attempts, t.max_attempts, t.lease_token, t.lease_expires_at
            """.formatted(OWNER, MODEL, CLAIMABLE, NONE_SQL, CLAIM.to().wireName());

    private final QueueConfig config;
    /** Owners in the order this process last claimed for them, least recent first. */
    private final SequencedSet<UUID> served = new LinkedHashSet<>(); // guarded by this

    TaskClaims(QueueConfig config) {
        this.config = config;
    }

    /** Claims up to {@code max} tasks of priority {@code minPriority} or more (caller's system transaction). */
    List<ClaimedTask> claim(Connection c, UUID workerId, Collection<String> types, Collection<UUID> modelIds,
                            int minPriority, int max) throws SQLException {
        // Custom plans always (~3 ms of planning): a generic plan guesses the limits, and an early version of this
        // statement, planned generically, hash-joined every claimable task (211 ms instead of 2 ms on 100k tasks).
        try (PreparedStatement plan = c.prepareStatement(
                "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)")) {
            plan.execute();
        }
        List<ClaimedTask> claimed = new ArrayList<>();
        try (PreparedStatement claim = c.prepareStatement(SQL)) {
            bind(claim, c, types, modelIds, minPriority, max, leastRecentlyServed());
            claim.setObject(8, workerId);
            claim.setDouble(9, config.leaseDuration().toMillis() / 1000.0);
            try (ResultSet rs = claim.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new ClaimedTask(rs.getLong("id"), rs.getObject("job_id", UUID.class),
                            rs.getObject("tenant_id", UUID.class), rs.getString("type"), rs.getInt("priority"),
                            rs.getObject("model_id", UUID.class), rs.getString("params"),
                            rs.getInt("attempts"), rs.getInt("max_attempts"),
                            rs.getObject("lease_token", UUID.class),
                            rs.getTimestamp("lease_expires_at").toInstant()));
                }
            }
        }
        if (!claimed.isEmpty()) {
            try (PreparedStatement start = c.prepareStatement(
                    "UPDATE jobs SET status = 'running', started_at = now() WHERE id = ANY(?) AND status = 'queued'")) {
                start.setArray(1, c.createArrayOf("uuid", claimed.stream().map(ClaimedTask::jobId).distinct().toArray()));
                start.executeUpdate();
            }
            remember(claimed);
        }
        return claimed;
    }

    /** Binds the parameters that choose the tasks (1-7); 8 and 9 set the lease. */
    static void bind(PreparedStatement claim, Connection c, Collection<String> types, Collection<UUID> modelIds,
                     int minPriority, int max, UUID[] leastRecentlyServed) throws SQLException {
        claim.setInt(1, minPriority);
        claim.setInt(2, max);
        claim.setArray(3, c.createArrayOf("text", types.toArray()));
        claim.setArray(4, c.createArrayOf("uuid", modelIds.toArray()));
        claim.setArray(5, c.createArrayOf("uuid", leastRecentlyServed));
        claim.setInt(6, max);
        claim.setInt(7, max);
    }

    private synchronized UUID[] leastRecentlyServed() {
        return served.toArray(UUID[]::new);
    }

    /**
     * Moves the claimed tasks' owners to the most recent end. Written after the statement, not committed with it:
     * if the transaction then fails, an owner merely counts as served once more; fairness, not correctness.
     */
    private synchronized void remember(List<ClaimedTask> claimed) {
        for (ClaimedTask task : claimed) {
            UUID owner = task.tenantId() == null ? NONE : task.tenantId();
            served.remove(owner);
            served.addLast(owner);
        }
        while (served.size() > REMEMBERED_OWNERS) {
            served.removeFirst();
        }
    }
}
