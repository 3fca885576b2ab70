package io.montage.bench.dashboard;

import io.montage.db.Database;

import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * A platform a day into its life, written with SQL (generate_series) as the system role: 20 tenants; {@code pending}
 * items waiting in 400 bulk jobs (100 items per task); 100 finished bulk jobs of 2,000 items each, one item in 20
 * failed, finished over the last day; 50,000 synchronous requests of the last hour (one item each, one in 100
 * failed: their jobs are kept an hour); 200 workers (20 running); a day of throughput minutes for the running ones;
 * 10 models.
 */
final class DashboardData {

    static final int TENANTS = 20;
    static final int PENDING_JOBS = 400;
    static final int FINISHED_JOBS = 100;
    static final int FINISHED_ITEMS_PER_JOB = 2_000;
    static final int SYNC_REQUESTS = 50_000;
    static final int RUNNING_WORKERS = 20;
    static final int WORKERS = 200;
    static final int MODELS = 10;
    private static final int ITEMS_PER_TASK = 100;

    private DashboardData() {
    }

    static void write(Database database, int pending, String manifestJson) {
        // whole tasks, so that every job's count of items is what its tasks hold (at least one task)
        int perJob = Math.max(1, pending / PENDING_JOBS / ITEMS_PER_TASK) * ITEMS_PER_TASK;
        database.asSystem(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO tenants (slug, name) SELECT 'bench-' || g, 'Bench tenant ' || g "
                        + "FROM generate_series(1, " + TENANTS + ") g");
                s.execute("INSERT INTO workers (id, host, pid, device, capabilities, status, started_at, heartbeat_at) "
                        + "SELECT gen_random_uuid(), 'node-' || g, g, 'cpu(), PyTorch 2.7.1, 2 cores', "
                        + "ARRAY['embed', 'echo'], CASE WHEN g <= " + RUNNING_WORKERS + " THEN 'running' "
                        + "ELSE 'stopped' END, now() - make_interval(hours => g), now() FROM generate_series(1, "
                        + WORKERS + ") g");
                // queued work: jobs, then their tasks, then 100 items per task
                s.execute("INSERT INTO jobs (tenant_id, type, priority, total_items, total_tasks, expires_at) "
                        + "SELECT t.id, 'embed', 0, " + perJob + ", " + perJob / ITEMS_PER_TASK + ", now() + interval '7 days' "
                        + "FROM generate_series(1, " + PENDING_JOBS + ") g "
                        + "JOIN (SELECT id, row_number() OVER (ORDER BY slug) AS n FROM tenants) t ON t.n = 1 + g % " + TENANTS);
                // finished work, one job every ~14 minutes of the last day; one item in 20 failed
                s.execute("INSERT INTO jobs (tenant_id, type, status, priority, total_items, total_tasks, succeeded_items, "
                        + "failed_items, finished_tasks, expires_at, created_at, started_at, finished_at) "
                        + "SELECT t.id, 'embed', 'succeeded', 0, " + FINISHED_ITEMS_PER_JOB + ", "
                        + FINISHED_ITEMS_PER_JOB / ITEMS_PER_TASK + ", " + FINISHED_ITEMS_PER_JOB * 19 / 20 + ", "
                        + FINISHED_ITEMS_PER_JOB / 20 + ", " + FINISHED_ITEMS_PER_JOB / ITEMS_PER_TASK + ", "
                        + "now() + interval '7 days', f.at - interval '10 minutes', f.at - interval '10 minutes', f.at "
                        + "FROM (SELECT g, now() - make_interval(mins => g * 14) AS at "
                        + "      FROM generate_series(1, " + FINISHED_JOBS + ") g) f "
                        + "JOIN (SELECT id, row_number() OVER (ORDER BY slug) AS n FROM tenants) t ON t.n = 1 + f.g % " + TENANTS);
                // synchronous requests: a job of one item each, spread over the last hour
                s.execute("INSERT INTO jobs (tenant_id, type, status, priority, total_items, total_tasks, succeeded_items, "
                        + "failed_items, finished_tasks, expires_at, created_at, started_at, finished_at) "
                        + "SELECT t.id, 'embed', 'succeeded', 100, 1, 1, (f.g % 100 <> 0)::int, (f.g % 100 = 0)::int, 1, "
                        + "f.at + interval '1 hour', f.at, f.at, f.at "
                        + "FROM (SELECT g, now() - make_interval(secs => g * 3600.0 / " + SYNC_REQUESTS + ") AS at "
                        + "      FROM generate_series(1, " + SYNC_REQUESTS + ") g) f "
                        + "JOIN (SELECT id, row_number() OVER (ORDER BY slug) AS n FROM tenants) t ON t.n = 1 + f.g % " + TENANTS);
                s.execute("INSERT INTO tasks (job_id, tenant_id, type, priority, max_attempts, status, attempts, "
                        + "started_at, finished_at) SELECT j.id, j.tenant_id, j.type, j.priority, 5, "
                        + "CASE WHEN j.status = 'queued' THEN 'queued' ELSE 'succeeded' END, "
                        + "CASE WHEN j.status = 'queued' THEN 0 ELSE 1 END, j.started_at, j.finished_at "
                        + "FROM jobs j, generate_series(1, j.total_tasks)");
                s.execute("INSERT INTO items (job_id, seq, tenant_id, task_id, input, status, result, error_code, "
                        + "error_message, finished_at) "
                        + "SELECT t.job_id, (t.n - 1) * " + ITEMS_PER_TASK + " + k, t.tenant_id, t.id, "
                        + "  json_build_object('image_url', 'https://images.example.com/bench/' || t.id || '/' || k || '.jpg'), "
                        + "  CASE WHEN t.status = 'queued' THEN 'pending' WHEN f.fails THEN 'failed' ELSE 'succeeded' END, "
                        + "  CASE WHEN t.status <> 'queued' AND NOT f.fails THEN json_build_object('n', k) END, "
                        + "  CASE WHEN t.status <> 'queued' AND f.fails THEN 'image_unreadable' END, "
                        + "  CASE WHEN t.status <> 'queued' AND f.fails THEN 'the image could not be decoded' END, "
                        + "  CASE WHEN t.status <> 'queued' THEN t.finished_at - make_interval(secs => k) END "
                        + "FROM (SELECT t.id, t.job_id, t.tenant_id, t.status, t.finished_at, j.total_items, j.failed_items, "
                        + "      row_number() OVER (PARTITION BY t.job_id ORDER BY t.id) AS n "
                        + "      FROM tasks t JOIN jobs j ON j.id = t.job_id) t "
                        + "CROSS JOIN LATERAL generate_series(0, least(t.total_items, " + ITEMS_PER_TASK + ") - 1) k "
                        + "CROSS JOIN LATERAL (SELECT CASE WHEN t.total_items = 1 THEN t.failed_items = 1 "
                        + "                           ELSE k % 20 = 0 END AS fails) f");
                // a day of minutes for each running worker (what the retention keeps)
                s.execute("INSERT INTO throughput (minute, worker_id, succeeded, failed) "
                        + "SELECT date_bin('1 minute', now(), timestamptz 'epoch') - make_interval(mins => m), w.id, "
                        + "  300 + (m * 37 + w.pid * 11) % 600, (m + w.pid) % 20 "
                        + "FROM generate_series(0, 1439) m, workers w WHERE w.status = 'running'");
            }
            try (PreparedStatement models = c.prepareStatement(
                    "INSERT INTO models (name, version, kind, embedding_dim, manifest, source, bundle_path, status, ready_at) "
                            + "SELECT 'bench-model-' || g, '1', 'clip', 64, ?::jsonb, 'bench', 'bench', 'ready', now() "
                            + "FROM generate_series(1, " + MODELS + ") g")) {
                models.setString(1, manifestJson);
                models.executeUpdate();
            }
            return null;
        });
    }
}
