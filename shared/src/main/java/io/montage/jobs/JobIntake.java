package io.montage.jobs;

import io.montage.db.Database;
import io.montage.db.Durability;
import io.montage.db.Lead;
import io.montage.db.Rows;
import io.montage.db.SqlParams;
import io.montage.errors.MontageException;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import static io.montage.jobs.TaskTransition.CANCEL;

/**
 * The submitting side of the job queue in PostgreSQL (the api, the console, platform work): jobs are enqueued inside
 * the producer's own transaction, and a tenant's job is cancelled. Workers take the tasks through {@link TaskLeases}.
 *
 * <p>A job whose items fit one batch is written by ONE statement: the job row, its tasks, its items and the wake-up
 * of the workers (pg_notify, delivered at commit), returning the job row. {@link #submit} sends that statement behind
 * the tenant's setting, so a job held in memory costs one round trip and one commit. A larger or streamed job writes
 * its first batch with the job, one statement per further batch and one for its totals.
 */
@Singleton
public class JobIntake {

    /** Rows per items INSERT: large enough to amortise round trips, small enough for a modest statement. */
    private static final int ITEM_INSERT_BATCH = 5000;
    /** Input bytes per items INSERT, at task boundaries: 5,000 camera photos would be 680 MB held at once. */
    private static final long ITEM_INSERT_BYTES = 64L << 20;

    /**
     * A batch of the job's items and the tasks that carry them, from the {@code job} row of the statement's WITH.
     * Parameters: max attempts, tasks, the batch's first seq, custom ids, inputs, input bytes, error codes, error
     * messages, items per task. The i-th task (identity values follow insertion order) carries the i-th chunk of items; an item that
     * comes with an error is stored failed at once.
     */
    private static final String BATCH = """
            task AS (
                INSERT INTO tasks (job_id, tenant_id, type, priority, max_attempts, model_id)
                SELECT job.id, job.tenant_id, job.type, job.priority, ?, job.model_id
                  FROM job CROSS JOIN generate_series(1, ?)
                RETURNING id
            ), chunk AS (
                SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM task
            ), item AS (
                INSERT INTO items (job_id, tenant_id, seq, task_id, custom_id, input, input_bytes, status,
                                   error_code, error_message, finished_at)
                SELECT job.id, job.tenant_id, (?::int + x.ord - 1)::int, chunk.id, x.custom_id, x.input::json,
                       x.bytes, CASE WHEN x.code IS NULL THEN 'pending' ELSE 'failed' END, x.code, x.message,
                       CASE WHEN x.code IS NOT NULL THEN now() END
                  FROM job CROSS JOIN unnest(?::text[], ?::text[], ?::bytea[], ?::text[], ?::text[])
                       WITH ORDINALITY AS x(custom_id, input, bytes, code, message, ord)
                  JOIN chunk ON chunk.n = (x.ord - 1) / ?::int
            )""";
    /**
     * Wakes the workers at commit when the parameter is true (the job's last statement), saying the job's priority,
     * model and type ({@link TaskAnnouncement}); then returns the job.
     */
    private static final String WAKE_AND_RETURN = wakeAndReturn(Jobs.COLUMNS);
    /** The same, returning only the job's fixed-width columns the statement fills in itself. */
    private static final String WAKE_AND_RETURN_KEYS = wakeAndReturn("id, created_at, expires_at");
    /**
     * The job with its first batch. Parameters: tenant, type, priority, params, the totals so far (items, tasks,
     * failed items), model, idempotency key, expiry or retention seconds; {@link #BATCH}'s; last statement or not.
     */
    private static final String JOB_WITH_BATCH = jobWithBatch(WAKE_AND_RETURN);
    /** {@link #JOB_WITH_BATCH} returning the job's keys only: a one-trip lead that may be prepared ({@link Lead}). */
    private static final String JOB_WITH_BATCH_KEYS = jobWithBatch(WAKE_AND_RETURN_KEYS);
    /** A further batch of a job already written. Parameters: the job's id; {@link #BATCH}'s. */
    private static final String NEXT_BATCH = "WITH job AS (SELECT id, tenant_id, type, priority, model_id FROM jobs "
            + "WHERE id = ?), " + BATCH + " SELECT count(*) FROM job";
    /** A streamed job's totals, once its last item is written. Parameters: items, tasks, failed items, id, true. */
    private static final String TOTALS = "WITH job AS (UPDATE jobs SET total_items = ?, total_tasks = ?, "
            + "failed_items = ? WHERE id = ? RETURNING *)" + WAKE_AND_RETURN;

    private static String wakeAndReturn(String columns) {
        return """
                , wake AS (SELECT pg_notify('%s', %s) FROM job WHERE ?::boolean)
                SELECT %s, (SELECT count(*) FROM wake) AS woken FROM job""".formatted(QueueChannels.TASKS,
                TaskAnnouncement.payloadSql("job"), columns);
    }

    private static String jobWithBatch(String wakeAndReturn) {
        return """
            WITH job AS (
                INSERT INTO jobs (tenant_id, type, priority, params, total_items, total_tasks, failed_items, model_id,
                                  idempotency_key, expires_at, request_id)
                VALUES (?::uuid, ?, ?, ?::jsonb, ?, ?, ?, ?::uuid, ?::text,
                        coalesce(?::timestamptz, now() + make_interval(secs => ?)), ?::text)
                RETURNING *
            ), """ + BATCH + wakeAndReturn;
    }

    private final Database database;
    private final QueueConfig config;

    public JobIntake(Database database, QueueConfig config) {
        this.database = database;
        this.config = config;
    }

    /** Enqueues in its own tenant transaction: one round trip when the items fit one batch. */
    public Job submit(UUID tenantId, NewJob job) {
        return submit(tenantId, job, Durability.FULL);
    }

    /** Enqueues in its own tenant transaction, committed with {@code durability}. */
    public Job submit(UUID tenantId, NewJob job, Durability durability) {
        if (fitsOneStatement(job)) {
            return database.inTenant(tenantId, durability, lead(tenantId, job));
        }
        return inTransaction(tenantId, job, durability, null);
    }

    /**
     * Enqueues in its own tenant transaction, committed with {@code durability}, with {@code trailer} after the job's
     * rows (a quota's usage, which refuses the job by failing): one round trip when the items fit one batch.
     */
    public Job submit(UUID tenantId, NewJob job, Durability durability, Lead<?> trailer) {
        if (fitsOneStatement(job)) {
            return database.inTenant(tenantId, durability, lead(tenantId, job), trailer);
        }
        return inTransaction(tenantId, job, durability, trailer);
    }

    /** A job too large for one statement: its batches in a transaction, then the trailer (if any). */
    private Job inTransaction(UUID tenantId, NewJob job, Durability durability, Lead<?> trailer) {
        return database.inTenant(tenantId, c -> {
            if (durability == Durability.RELAXED) {
                SyncRequestCommits.relax(c);
            }
            Job queued = enqueue(c, tenantId, job);
            if (trailer != null) {
                trailer.runOn(c);
            }
            return queued;
        });
    }

    /**
     * Enqueues inside the caller's tenant transaction: the job exists if and only if that transaction commits,
     * and workers are woken at commit (NOTIFY is transactional).
     */
    public Job enqueue(Connection c, UUID tenantId, NewJob job) throws SQLException {
        return enqueue(c, tenantId, job.spec(), job.items().iterator());
    }

    /**
     * Enqueues a job whose items are streamed (an uploaded file of any size): they are written in batches as they
     * come, one task per {@code items-per-task}, never all held in memory. Items already rejected are stored
     * failed and counted at once. Still one transaction: a half-read upload leaves no job behind.
     */
    public Job enqueue(Connection c, UUID tenantId, JobSpec spec, Iterator<NewItem> items) throws SQLException {
        requireType(spec);
        Batch batch = Batch.take(items, 0, batchSize(), config.itemsPerTask());
        if (batch.items().isEmpty()) {
            throw emptyJob();
        }
        Job job = jobWithBatch(c, tenantId, spec, batch, !items.hasNext());
        if (!items.hasNext()) {
            return job;
        }
        int total = batch.items().size();
        int tasks = batch.tasks(config.itemsPerTask());
        int rejected = batch.rejected();
        while (items.hasNext()) {
            batch = Batch.take(items, total, batchSize(), config.itemsPerTask());
            try (PreparedStatement insert = c.prepareStatement(NEXT_BATCH)) {
                batch.bind(SqlParams.of(c, insert).add(job.id()), config);
                insert.executeQuery().close();
            }
            total += batch.items().size();
            tasks += batch.tasks(config.itemsPerTask());
            rejected += batch.rejected();
        }
        try (PreparedStatement update = c.prepareStatement(TOTALS)) {
            SqlParams.of(c, update).add(total).add(tasks).add(rejected).add(job.id()).add(true);
            return readJob(update);
        }
    }

    /** Enqueues platform work that belongs to no tenant (only the system role sees it). */
    public Job enqueueForPlatform(Connection c, NewJob job) throws SQLException {
        return enqueue(c, null, job);
    }

    /**
     * The one statement that enqueues {@code job}, whose items fit one batch, for {@link Database}'s one trip. It
     * returns the job's keys and the job is built from what was submitted (its params as given: a later read prints
     * them as stored jsonb does), so that its rows are of fixed width and the statement can be prepared.
     */
    private Lead<Job> lead(UUID tenantId, NewJob job) {
        JobSpec spec = job.spec();
        requireType(spec);
        Batch batch = new Batch(job.items(), 0);
        return Lead.fixedWidth(JOB_WITH_BATCH_KEYS, params -> bindJob(params, tenantId, spec, batch, true), rows -> {
            rows.next();
            return new Job(rows.getObject("id", UUID.class), tenantId, spec.type(), JobStatus.QUEUED,
                    spec.priority(), paramsOf(spec), batch.items().size(), 0, batch.rejected(), 0,
                    Rows.instant(rows, "created_at"), null, null, Rows.instant(rows, "expires_at"));
        });
    }

    private static String paramsOf(JobSpec spec) {
        return spec.paramsJson() == null ? "{}" : spec.paramsJson();
    }

    private boolean fitsOneStatement(NewJob job) {
        if (job.items().isEmpty()) {
            throw emptyJob();
        }
        return job.items().size() <= batchSize()
                && job.items().stream().mapToLong(NewItem::size).sum() < ITEM_INSERT_BYTES;
    }

    /** Whole tasks per batch. */
    private int batchSize() {
        int perTask = config.itemsPerTask();
        return perTask * Math.max(1, ITEM_INSERT_BATCH / perTask);
    }

    private Job jobWithBatch(Connection c, UUID tenantId, JobSpec spec, Batch batch, boolean last)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(JOB_WITH_BATCH)) {
            bindJob(SqlParams.of(c, insert), tenantId, spec, batch, last);
            return readJob(insert);
        }
    }

    /** Binds {@link #JOB_WITH_BATCH}: a job that states no expiry gets the queue's default retention. */
    private void bindJob(SqlParams params, UUID tenantId, JobSpec spec, Batch batch, boolean last)
            throws SQLException {
        params.add(tenantId).add(spec.type()).add(spec.priority())
                .add(paramsOf(spec))
                .add(batch.items().size()).add(batch.tasks(config.itemsPerTask())).add(batch.rejected())
                .add(spec.modelId()).add(spec.idempotencyKey())
                .add(spec.expiresAt() == null ? null : Timestamp.from(spec.expiresAt()))
                .add(config.retention().toMillis() / 1000.0).add(spec.requestId());
        batch.bind(params, config);
        params.add(last);
    }

    private static Job readJob(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return readJob(rows);
        }
    }

    private static Job readJob(ResultSet rows) throws SQLException {
        rows.next();
        return Jobs.read(rows);
    }

    private static void requireType(JobSpec spec) {
        if (spec.type() == null || spec.type().isBlank()) {
            throw MontageException.invalid("invalid_job_type", "a job needs a type");
        }
    }

    private static MontageException emptyJob() {
        return MontageException.invalid("empty_job", "a job needs at least one item");
    }

    /** Items {@code firstSeq…} of a job, as {@link #BATCH} writes them. */
    private record Batch(List<NewItem> items, int firstSeq) {

        /**
         * Up to {@code size} items from {@code items}; fewer, at a task boundary, once they hold
         * {@link #ITEM_INSERT_BYTES}.
         */
        static Batch take(Iterator<NewItem> items, int firstSeq, int size, int perTask) {
            List<NewItem> taken = new ArrayList<>(Math.min(size, 1024));
            long bytes = 0;
            while (taken.size() < size && items.hasNext()
                    && !(bytes >= ITEM_INSERT_BYTES && taken.size() % perTask == 0)) {
                NewItem item = items.next();
                taken.add(item);
                bytes += item.size();
            }
            return new Batch(taken, firstSeq);
        }

        int tasks(int perTask) {
            return (items.size() + perTask - 1) / perTask;
        }

        int rejected() {
            return (int) items.stream().filter(NewItem::rejected).count();
        }

        void bind(SqlParams params, QueueConfig config) throws SQLException {
            int n = items.size();
            String[] customIds = new String[n];
            String[] inputs = new String[n];
            byte[][] bytes = new byte[n][];
            String[] codes = new String[n];
            String[] messages = new String[n];
            for (int i = 0; i < n; i++) {
                NewItem item = items.get(i);
                customIds[i] = item.customId();
                inputs[i] = item.inputJson();
                bytes[i] = item.inputBytes();
                codes[i] = item.errorCode();
                messages[i] = item.errorMessage();
            }
            params.add(config.maxAttempts()).add(tasks(config.itemsPerTask())).add(firstSeq)
                    .array("text", customIds).array("text", inputs)
                    .add(bytes) // byte[][]: pgjdbc sends a bytea[] in binary, never as text
                    .array("text", codes).array("text", messages)
                    .add(config.itemsPerTask());
        }
    }

    /** Cancels a tenant's job: waiting tasks never run, running ones stop at their next heartbeat, finished
     * items keep their results. */
    public Job cancel(UUID tenantId, UUID jobId) {
        return database.inTenant(tenantId, c -> cancel(c, jobId));
    }

    /** As {@link #cancel(UUID, UUID)}, inside the caller's transaction (a tenant's connection), so that the caller
     * can end what it owns in the same commit (an evaluation run cancels its models' jobs with itself). */
    public Job cancel(Connection c, UUID jobId) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE jobs SET status = 'cancelled', finished_at = now() "
                        + "WHERE id = ? AND status IN ('queued', 'running')")) {
            update.setObject(1, jobId);
            if (update.executeUpdate() == 0) {
                Job job = Jobs.find(c, jobId).orElseThrow(() -> Jobs.notFound(jobId));
                throw MontageException.conflict("job_not_cancellable",
                        "job " + jobId + " is already " + job.status().wireName());
            }
        }
        List<Long> stopped = new ArrayList<>();
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE tasks SET status = ?, finished_at = now() WHERE job_id = ? AND status = ANY(?) RETURNING id")) {
            update.setString(1, CANCEL.to().wireName());
            update.setObject(2, jobId);
            update.setArray(3, c.createArrayOf("text", CANCEL.fromWireNames()));
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    stopped.add(rs.getLong(1));
                }
            }
        }
        int cancelledItems = 0;
        for (long taskId : stopped) {
            cancelledItems += JobCounters.closePendingItems(c, taskId, "cancelled", null, null);
        }
        JobCounters.tasksFinished(c, jobId, stopped.size(), 0, ItemCounts.cancelled(cancelledItems));
        return Jobs.find(c, jobId).orElseThrow();
    }
}
