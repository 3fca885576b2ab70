package io.montage.jobs;

import io.montage.db.Lead;
import io.montage.db.SqlParams;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * {@code max} + {@link #LOCKED_SLACK} tasks of each queue the worker serves, one count of running tasks per owner:
 * it follows the number of queues, never their length (measured in docs/benchmarks.md). Hand-written, not a library: this is the queue.
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

    /** A task's pending inputs up to this many stored bytes come with its claim (see {@link #SQL}). */
    static final int CARRIED_INPUT_BYTES = 1 << 20;
    /** Where {@link #sql} writes the claim's {@code max}. */
    private static final String MAX = "{max}";
    /** Where {@link #sql} writes how many tasks of each queue, and of each owner, the claim ranks. */
    private static final String WINDOW = "{window}";
    /**
     * Tasks beyond {@code max} that a claim ranks per queue and per owner. Claimers racing for the head of one queue
     * lock its first tasks; with only {@code max} ranked, {@code SKIP LOCKED} left the others empty-handed while the
     * queue was full (two claimers of one tenant's single-item jobs came back empty about every other time). The
     * extra tasks are a few more index entries of the same queue: the cost still follows the number of queues.
     */
    static final int LOCKED_SLACK = 16;

    /**
     * Claims, starts the tasks' jobs and returns the tasks with their pending items, in one statement. Parameters, in
     * order: minimum priority; served types; loaded models; owners least recently served first; worker id; lease
     * seconds; {@link #CARRIED_INPUT_BYTES}. {@code ranked} is sorted behind a fence ({@code OFFSET 0}) so that only
     * the tasks taken are looked up and locked, not every candidate.
     *
     * <p>The limits are literals (one statement text per number of free slots): the statement is prepared, and the
     * generic plan it settles on after five runs then knows them (an early version, planned generically with the
     * limits as parameters, hash-joined every claimable task: 211 ms instead of 2 ms on 100k tasks), instead of
     * being planned for every claim, which cost more than running it (ClaimCostTest checks both plans). The items are read in the statement's snapshot, after the tasks are locked:
     * a task's items end only together with the task, so a task this claim takes has all of them still pending.
     * A task whose pending inputs take more than {@link #CARRIED_INPUT_BYTES} (stored size, read from the TOAST
     * pointers without reading the values) (JSON and bytes) comes without them and its runner reads them on its own thread
     * ({@link TaskLeases#items}): large inputs (images) then do not pass through the claim loop one task after another.
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
                       ORDER BY run_after, id LIMIT %7$s) c
                 WHERE q.type = ANY(?) AND (q.model = %4$s OR q.model = ANY(?))
            ), ranked AS (
                SELECT c.id, c.priority, c.run_after,
                       c.rank + (SELECT count(*) FROM tasks WHERE status = '%5$s' AND %1$s = c.owner) AS share,
                       coalesce(array_position(?::uuid[], c.owner), 0) AS recency
                  FROM candidates c WHERE c.rank <= %7$s
                 ORDER BY priority DESC, share, recency, run_after, id
                OFFSET 0
            ), next AS (
                SELECT t.id FROM ranked r JOIN tasks t ON t.id = r.id
                 WHERE t.%3$s
                 ORDER BY r.priority DESC, r.share, r.recency, r.run_after, r.id
                 LIMIT %6$s FOR UPDATE OF t SKIP LOCKED
            ), claimed AS (
                UPDATE tasks t SET status = '%5$s', attempts = t.attempts + 1, lease_owner = ?,
                       lease_token = gen_random_uuid(), lease_expires_at = now() + make_interval(secs => ?),
                       started_at = coalesce(t.started_at, now())
                  FROM next, jobs j WHERE t.id = next.id AND j.id = t.job_id
                RETURNING t.id, t.job_id, t.tenant_id, t.type, t.priority, t.model_id, j.params::text AS params,
                          j.request_id, t.attempts, t.max_attempts, t.lease_token, t.lease_expires_at
            ), started AS (
                UPDATE jobs SET status = 'running', started_at = now()
                 WHERE id IN (SELECT job_id FROM claimed) AND status = 'queued'
            ), carried AS (
                SELECT c.*, (SELECT coalesce(sum(pg_column_size(i.input) + coalesce(pg_column_size(i.input_bytes), 0)), 0)
                               FROM items i
                              WHERE i.task_id = c.id AND i.status = 'pending') <= ? AS carried
                  FROM claimed c
            )
            SELECT c.*, i.seq, i.custom_id, i.input::text AS input, i.input_bytes
              FROM carried c LEFT JOIN items i ON c.carried AND i.task_id = c.id AND i.status = 'pending'
             ORDER BY c.priority DESC, c.id, i.seq
            """.formatted(OWNER, MODEL, CLAIMABLE, NONE_SQL, CLAIM.to().wireName(), MAX, WINDOW);

    private final QueueConfig config;
    /** Owners in the order this process last claimed for them, least recent first. */
    private final SequencedSet<UUID> served = new LinkedHashSet<>(); // guarded by this
    /** {@link #SQL} with each {@code max} it was asked for (a few: the numbers of free slots). */
    private final Map<Integer, String> sqlByMax = new ConcurrentHashMap<>();

    TaskClaims(QueueConfig config) {
        this.config = config;
    }

    /** {@link #SQL} claiming up to {@code max} tasks. */
    static String sql(int max) {
        return SQL.replace(MAX, Integer.toString(max)).replace(WINDOW, Integer.toString(max + LOCKED_SLACK));
    }

    /**
     * The statement that claims up to {@code max} tasks of priority {@code minPriority} or more, for
     * {@link io.montage.db.Database#asSystem(io.montage.db.Durability, Lead)}; then {@link #remember} the result.
     */
    Lead<List<ClaimedTask>> lead(UUID workerId, Collection<String> types, Collection<UUID> modelIds,
                                 int minPriority, int max) {
        return new Lead<>(sqlByMax.computeIfAbsent(max, TaskClaims::sql), params -> {
            bind(params, types, modelIds, minPriority, leastRecentlyServed());
            params.add(workerId).add(config.leaseDuration().toMillis() / 1000.0).add(CARRIED_INPUT_BYTES);
        }, TaskClaims::read);
    }

    /** Binds the parameters that choose the tasks (the first four); the lease and the carried bytes follow. */
    static void bind(SqlParams params, Collection<String> types, Collection<UUID> modelIds, int minPriority,
                     UUID[] leastRecentlyServed) throws SQLException {
        params.add(minPriority).array("text", types.toArray()).array("uuid", modelIds.toArray())
                .array("uuid", leastRecentlyServed);
    }

    /** One row per carried item (or per task, with no item): the tasks in order, each with its items. */
    private static List<ClaimedTask> read(ResultSet rs) throws SQLException {
        List<ClaimedTask> claimed = new ArrayList<>();
        long current = -1;
        List<TaskItem> items = null;
        while (rs.next()) {
            long id = rs.getLong("id");
            if (id != current) {
                current = id;
                items = rs.getBoolean("carried") ? new ArrayList<>() : null;
                claimed.add(new ClaimedTask(id, rs.getObject("job_id", UUID.class),
                        rs.getObject("tenant_id", UUID.class), rs.getString("type"), rs.getInt("priority"),
                        rs.getObject("model_id", UUID.class), rs.getString("params"),
                        rs.getInt("attempts"), rs.getInt("max_attempts"),
                        rs.getObject("lease_token", UUID.class),
                        rs.getTimestamp("lease_expires_at").toInstant(), items, rs.getString("request_id")));
            }
            int seq = rs.getInt("seq");
            if (!rs.wasNull()) {
                items.add(new TaskItem(seq, rs.getString("custom_id"), rs.getString("input"), rs.getBytes("input_bytes")));
            }
        }
        return claimed;
    }

    private synchronized UUID[] leastRecentlyServed() {
        return served.toArray(UUID[]::new);
    }

    /**
     * Moves the claimed tasks' owners to the most recent end. Written after the statement, not committed with it:
     * if the transaction then fails, an owner merely counts as served once more; fairness, not correctness.
     */
    synchronized void remember(List<ClaimedTask> claimed) {
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
