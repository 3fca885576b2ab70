package io.montage.jobs;

import io.montage.db.Lead;
import io.montage.db.SqlParams;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;
import java.util.UUID;

/**
 * Claims tasks fairly across tenants, in one statement (ADR 0008). Higher priority first, as before; within a
 * priority, the owner (tenant, or the platform) with the smallest share goes first: its running tasks plus the ones
 * this claim already gave it. So tenant A's 1,000 queued tasks no longer come before tenant B's one, and one claim of
 * several tasks alternates owners. Ties go to the owner this process served least recently, then to the oldest
 * task: a worker that runs one task at a time still alternates.
 *
 * <p>The statement is {@code montage_claim_tasks} (V27; by key since V35), a SECURITY DEFINER function of the system
 * role, called alone in one round trip ({@link io.montage.db.Database#callAsSystem}); its text, and why it is a
 * function, are there.
 * Cost: a loose index scan over the distinct (priority, owner, model, type) queues of claimable tasks, the first
 * {@code max} + {@link #LOCKED_SLACK} tasks of each queue the worker serves, one count of running tasks per owner:
 * it follows the number of queues, never their length (ClaimCostTest, docs/benchmarks.md). Its status predicate is
 * the literal list of {@link TaskTransition#CLAIM}'s from-statuses (queued, retrying): the partial indexes need it.
 * Hand-written, not a library: this is the queue.
 */
final class TaskClaims {

    /** The owner of platform work (tenant_id NULL) and the model of model-free tasks; no tenant or model has it. */
    static final UUID NONE = new UUID(0, 0);

    /** Owners this process remembers serving; beyond that the least recent counts as never served. */
    private static final int REMEMBERED_OWNERS = 1024;

    /** A task's pending inputs up to this many stored bytes come with its claim (see V27). */
    static final int CARRIED_INPUT_BYTES = 1 << 20;
    /**
     * Tasks beyond {@code max} that a claim ranks per queue and per owner. Claimers racing for the head of one queue
     * lock its first tasks; with only {@code max} ranked, {@code SKIP LOCKED} left the others empty-handed while the
     * queue was full (two claimers of one tenant's single-item jobs came back empty about every other time). The
     * extra tasks are a few more index entries of the same queue: the cost still follows the number of queues.
     */
    static final int LOCKED_SLACK = 16;

    /**
     * Claims, starts the tasks' jobs and returns the tasks with their pending items (one row per carried item, or per
     * task with none), in one statement. Parameters, in order: minimum priority; served types; loaded models; owners
     * least recently served first; worker id; lease seconds; {@link #CARRIED_INPUT_BYTES}; how many tasks; how many
     * ranked per queue; whether suspects ({@link ClaimedTask#suspect}) may come. A task whose pending inputs take more than {@link #CARRIED_INPUT_BYTES} comes without them,
     * and its runner reads them on its own thread ({@link TaskLeases#items}): large inputs (images) then do not pass
     * through the claim loop one task after another.
     */
    static final String CALL = "SELECT * FROM montage_claim_tasks(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final QueueConfig config;
    /** Owners in the order this process last claimed for them, least recent first. */
    private final SequencedSet<UUID> served = new LinkedHashSet<>(); // guarded by this

    TaskClaims(QueueConfig config) {
        this.config = config;
    }

    /**
     * The call that claims up to {@code max} tasks of priority {@code minPriority} or more, for
     * {@link io.montage.db.Database#callAsSystem}; then {@link #remember} the result.
     */
    Lead<List<ClaimedTask>> lead(UUID workerId, Collection<String> types, Collection<UUID> modelIds,
                                 int minPriority, int max, boolean suspects) {
        return new Lead<>(CALL, params -> bind(params, types, modelIds, minPriority, leastRecentlyServed(), workerId,
                config.leaseDuration().toMillis() / 1000.0, max, suspects), TaskClaims::read);
    }

    /** Binds {@link #CALL}'s parameters. */
    static void bind(SqlParams params, Collection<String> types, Collection<UUID> modelIds, int minPriority,
                     UUID[] leastRecentlyServed, UUID workerId, double leaseSeconds, int max, boolean suspects)
            throws SQLException {
        params.add(minPriority).array("text", types.toArray()).array("uuid", modelIds.toArray())
                .array("uuid", leastRecentlyServed).add(workerId).add(leaseSeconds).add((long) CARRIED_INPUT_BYTES)
                .add(max).add(max + LOCKED_SLACK).add(suspects);
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
                        rs.getTimestamp("lease_expires_at").toInstant(), rs.getInt("crashes"),
                        rs.getString("request_id"), items));
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
