package io.montage.bench.bulk;

import io.montage.bench.Bundle;
import io.montage.bench.Latencies;
import io.montage.bench.Machine;
import io.montage.bench.NamedArgs;
import io.montage.bench.Numbers;
import io.montage.bench.raw.ClipTowers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Bulk throughput: a running platform's {@code embed} job over N real images (JSONL upload, as docs/api.md shows)
 * against a raw DJL loop over the same images at the same batch size (the worker's largest batch bucket) on the
 * same machine, the platform idle meanwhile. The goal the issue sets: job images/s ≥ 0.9 × raw.
 *
 * <p>Job images/s = N / (started_at → finished_at) of the job, as the platform records them: from the first task's
 * claim to the last task's completion (the upload is not in it; it is reported separately, as is the wall time
 * from the first byte uploaded to the poll that saw the job finish). For each measured job it also reports where
 * the CPU went (api, worker, PostgreSQL backends of the benchmark database: everything shares the same cores) and
 * what the queue tables say (task durations, time to first claim, stored input and result sizes).
 */
public final class BulkBench {

    private final Map<String, String> args;
    private final List<String> notes;
    private final StringBuilder report = new StringBuilder();

    private BulkBench(NamedArgs args) {
        this.args = args.values();
        this.notes = args.notes();
    }

    public static void main(String[] argv) throws Exception {
        NamedArgs args = NamedArgs.parse(argv, List.of("bundle", "api", "key", "images"), "--name value …");
        ClipTowers.configureEngine(args.integer("engine-threads", Runtime.getRuntime().availableProcessors()));
        args.publish(new BulkBench(args).run());
        System.exit(0);
    }

    /** One measured job. */
    private record JobRun(String set, int run, int images, long uploadBytes, double uploadSeconds,
                          JobClient.JobState state, double processingSeconds, double wallSeconds,
                          double firstClaimSeconds, double resultsSeconds, long resultLines, long resultBytes,
                          Map<String, Double> cpuUpload, Map<String, Double> cpuProcessing, QueueFacts facts,
                          double minCosine) {
        double imagesPerSecond() {
            return images / processingSeconds;
        }

        double wallImagesPerSecond() {
            return images / wallSeconds;
        }
    }

    /** What the queue tables say about one job. */
    private record QueueFacts(int tasks, Latencies taskSeconds, double inputBytesPerItem, double resultBytesPerItem,
                              double busySeconds) {
    }

    private String run() throws Exception {
        String loadAtStart = Machine.loadAverage();
        long runStart = System.nanoTime();
        Path bundle = Path.of(args.get("bundle"));
        int batch = integer("batch", 32);
        int count = integer("count", 10_000);
        int warmupCount = integer("warmup-count", -1); // default: a warm-up job as large as the measured one
        int repeat = integer("repeat", 2);
        List<String> sets = List.of(args.getOrDefault("sets", "fmnist").split(","));
        Path temp = Files.createTempDirectory("montage-bulk-bench-");
        Map<String, BulkImages.Set> images = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String name : sets) {
            int n = integer(name + "-count", count);
            progress("making the %s set (%d images)", name, n);
            images.put(name, BulkImages.of(name, n, Path.of(args.get("images"))));
            counts.put(name, n);
        }

        // ---- the platform --------------------------------------------------------------------------------------
        JobClient client = new JobClient(args.get("api"), args.get("key"));
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String entry : args.getOrDefault("cpu-pids", "").split(",")) {
            if (entry.contains("=")) {
                pids.put(entry.substring(0, entry.indexOf('=')), Long.parseLong(entry.substring(entry.indexOf('=') + 1)));
            }
        }
        String dbUrl = args.get("db-url");
        String dbUser = args.getOrDefault("db-user", "montage_app");
        String dbPassword = args.getOrDefault("db-password", "montage");
        ProcCpu cpu = new ProcCpu(pids, dbUrl, dbUser, dbPassword, args.get("database"));
        Duration timeout = Duration.ofSeconds(integer("job-timeout", 600));
        long pollMs = integer("poll-ms", 100);
        int threads = integer("raw-threads", 2);
        // bf16 kernels differ slightly with the batch's other rows (deploy/models/README.md): pass 0.999 for bf16
        double minCosine = Double.parseDouble(args.getOrDefault("min-cosine", "0.9999"));
        List<Pair> pairs = new ArrayList<>();
        try (ClipTowers towers = ClipTowers.load(Bundle.read(bundle))) {
            for (String name : sets) {
                BulkImages.Set set = images.get(name);
                int n = counts.get(name);
                try (RawLoop loop = new RawLoop(towers, set.images(), threads)) {
                    progress("%s: raw loop warm-up", name);
                    loop.warmUp(batch, Math.min(n, 2_000), 3);
                    float[][] reference = loop.embed(batch, 5);
                    Path warmup = temp.resolve(name + "-warmup.jsonl");
                    int warmupImages = warmupCount < 0 ? n : Math.min(warmupCount, n);
                    BulkImages.writeJsonl(set, 0, warmupImages, warmup);
                    progress("%s: warm-up job of %d images", name, warmupImages);
                    JobClient.JobState warm = client.upload(warmup);
                    client.await(warm.id(), pollMs, timeout);
                    Files.delete(warmup);
                    Path file = temp.resolve(name + ".jsonl");
                    long bytes = BulkImages.writeJsonl(set, 0, n, file);
                    for (int r = 1; r <= repeat; r++) {
                        progress("%s #%d: raw passes over the %d images (sequential, then pipelined)", name, r, n);
                        RawLoop.Pass sequential = loop.sequential(batch, n);
                        RawLoop.Pass pipelined = loop.pipelined(batch, n);
                        progress("  sequential %.0f images/s (model alone %.0f), pipelined %.0f images/s",
                                sequential.imagesPerSecond(), sequential.predictOnlyPerSecond(),
                                pipelined.imagesPerSecond());
                        Thread.sleep(1000); // let the raw loop's OpenMP threads go to sleep before the job
                        JobRun run = job(client, cpu, name, r, n, file, bytes, reference, pollMs, timeout, dbUrl,
                                dbUser, dbPassword, minCosine);
                        Thread.sleep(500);
                        RawLoop.Pass after = loop.sequential(batch, n);
                        progress("  sequential again after the job: %.0f images/s", after.imagesPerSecond());
                        pairs.add(new Pair(sequential, after, pipelined, run));
                        progress("  job: upload %.1f s, processing %.1f s = %.0f images/s (%.2f × sequential raw, "
                                        + "%.2f × pipelined raw), wall %.1f s", run.uploadSeconds(),
                                run.processingSeconds(), run.imagesPerSecond(),
                                run.imagesPerSecond() / sequential.imagesPerSecond(),
                                run.imagesPerSecond() / pipelined.imagesPerSecond(), run.wallSeconds());
                    }
                    Files.delete(file);
                }
            }
        }
        Files.delete(temp);

        // ---- report ------------------------------------------------------------------------------------------
        line("## Bulk embed job vs raw DJL loop: " + bundle.getFileName() + ", batch " + batch);
        line("");
        line("- machine: " + Machine.describe() + "; load average at start " + loadAtStart + ", at end "
                + Machine.loadAverage());
        line("- platform: " + platformSettings());
        line("- raw loop, in this JVM (DJL, " + System.getProperty("ai.djl.pytorch.num_threads") + " intra-op "
                + "threads, 1 inter-op, like the worker), per batch of " + batch + ": base64 → ImageDecoder → "
                + "ImagePreprocessor → encode_image → L2 norm, over the same N images as the job; *sequential* = one "
                + "thread; *pipelined* = decoding on " + threads + " threads ahead of the forward passes (the "
                + "worker's shape without the platform); *model alone* = the sequential pass's forward-pass time only");
        line("- each measured job runs right after a sequential and a pipelined raw pass over the same images (the "
                + "platform idle meanwhile), so every ratio compares neighbouring measurements on this shared machine");
        line("- job: `POST /v1/jobs?type=embed` with the JSONL (`{\"custom_id\",\"image\": base64}` per line), "
                + "after a warm-up job of " + (warmupCount < 0 ? "N" : String.valueOf(warmupCount))
                + " images (a first job is always slower: JIT, caches); images/s = N / (started_at → finished_at), the "
                + "platform's own timestamps (first claim → last task done); wall = upload start → the poll (every "
                + pollMs + " ms) that saw it finished; results streamed afterwards and the first 5 checked against "
                + "the raw embeddings (cosine ≥ " + minCosine + ")");
        images.values().forEach(s -> line("- set `" + s.name() + "`: " + s.description()));
        notes.forEach(n -> line("- " + n));
        line("");
        line("| set #run | raw sequential before / after | raw pipelined | model alone | **job** (started → "
                + "finished) | job wall incl. upload | **job ÷ raw sequential** | job ÷ raw pipelined | job ÷ model "
                + "alone | wall ÷ raw sequential |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (Pair p : pairs) {
            JobRun run = p.job();
            double rawRate = p.rawSequential();
            ratios.computeIfAbsent(run.set(), k -> new ArrayList<>()).add(run.imagesPerSecond() / rawRate);
            line("| " + run.set() + " #" + run.run() + " | " + Numbers.count(p.sequential().imagesPerSecond()) + " / "
                    + Numbers.count(p.sequentialAfter().imagesPerSecond()) + " | "
                    + Numbers.count(p.pipelined().imagesPerSecond()) + " | "
                    + Numbers.count(p.modelAlone()) + " | **" + Numbers.count(run.imagesPerSecond())
                    + "** | " + Numbers.count(run.wallImagesPerSecond()) + " | **"
                    + ratio(run.imagesPerSecond() / rawRate) + "** | "
                    + ratio(run.imagesPerSecond() / p.pipelined().imagesPerSecond()) + " | "
                    + ratio(run.imagesPerSecond() / p.modelAlone()) + " | "
                    + ratio(run.wallImagesPerSecond() / rawRate) + " |");
        }
        line("");
        line("images/s. Raw sequential = the mean of the passes just before and just after the job. **Median job ÷ "
                + "raw sequential: " + String.join(", ", ratios.entrySet().stream().map(e -> e.getKey() + " "
                + ratio(new Latencies(e.getValue()).median())).toList()) + "** (goal ≥ 0.9).");
        line("");
        line("(images/s; CPU per image of the raw passes: " + String.join("; ", pairs.stream().map(p ->
                p.job().set() + " #" + p.job().run() + " sequential " + Numbers.num(p.sequential().cpuSeconds() * 1000
                        / p.sequential().images()) + " ms, pipelined " + Numbers.num(p.pipelined().cpuSeconds() * 1000
                        / p.pipelined().images()) + " ms").toList()) + ")");
        line("");
        line("| set #run | images | upload MB | upload s | upload answered → first claim s | processing s | results "
                + "download s (MB) | tasks | task s p50 / p90 / max | task-seconds ÷ processing s | stored input / "
                + "result per item |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|");
        List<JobRun> runs = pairs.stream().map(Pair::job).toList();
        for (JobRun run : runs) {
            QueueFacts f = run.facts();
            line("| " + run.set() + " #" + run.run() + " | " + Numbers.count(run.images()) + " | "
                    + Numbers.num(run.uploadBytes() / 1e6) + " | " + Numbers.num(run.uploadSeconds()) + " | "
                    + Numbers.num(run.firstClaimSeconds()) + " | " + Numbers.num(run.processingSeconds()) + " | "
                    + Numbers.num(run.resultsSeconds()) + " (" + Numbers.num(run.resultBytes() / 1e6) + ") | "
                    + (f == null ? "–" : f.tasks()) + " | "
                    + (f == null ? "–" : Numbers.num(f.taskSeconds().median()) + " / "
                    + Numbers.num(f.taskSeconds().percentile(90)) + " / " + Numbers.num(f.taskSeconds().max())) + " | "
                    + (f == null ? "–" : Numbers.num(f.busySeconds() / run.processingSeconds())) + " | "
                    + (f == null ? "–" : Numbers.count(f.inputBytesPerItem()) + " B / "
                    + Numbers.count(f.resultBytesPerItem()) + " B") + " |");
        }
        line("");
        line("CPU seconds by process (all share " + Runtime.getRuntime().availableProcessors() + " cores; "
                + "\"postgres\" = the backends of the benchmark database; \"processing\" = upload answered → the "
                + "poll that saw the job finished):");
        line("");
        line("| set #run | phase | wall s | " + String.join(" | ", cpuLabels(runs)) + " | total | CPU ms per image |");
        line("|---|---|---:|" + "---:|".repeat(cpuLabels(runs).size()) + "---:|---:|");
        for (JobRun run : runs) {
            cpuRow(run, "upload", run.uploadSeconds(), run.cpuUpload());
            cpuRow(run, "processing", run.wallSeconds() - run.uploadSeconds(), run.cpuProcessing());
        }
        line("");
        line("whole run " + Numbers.num((System.nanoTime() - runStart) / 1e9) + " s");
        return report.toString();
    }

    /** A job and the raw passes over the same images measured just before it. */
    private record Pair(RawLoop.Pass sequential, RawLoop.Pass sequentialAfter, RawLoop.Pass pipelined, JobRun job) {
        /** Images/s of the sequential raw loop around the job: both passes' images over both passes' time. */
        double rawSequential() {
            return (sequential.images() + sequentialAfter.images()) / (sequential.seconds() + sequentialAfter.seconds());
        }

        double modelAlone() {
            return (sequential.images() + sequentialAfter.images())
                    / (sequential.predictSeconds() + sequentialAfter.predictSeconds());
        }
    }

    private static JobRun job(JobClient client, ProcCpu cpu, String name, int r, int n, Path file, long bytes,
                              float[][] reference, long pollMs, Duration timeout, String dbUrl, String dbUser,
                              String dbPassword, double minCosineAllowed) throws Exception {
        ProcCpu.Snapshot s0 = cpu.snapshot();
        long t0 = System.nanoTime();
        JobClient.JobState created = client.upload(file);
        long t1 = System.nanoTime();
        java.time.Instant uploaded = java.time.Instant.now();
        ProcCpu.Snapshot s1 = cpu.snapshot();
        JobClient.JobState done = client.await(created.id(), pollMs, timeout);
        long t2 = System.nanoTime();
        ProcCpu.Snapshot s2 = cpu.snapshot();
        JobClient.Results results = client.results(created.id(), reference.length);
        long t3 = System.nanoTime();
        if (!done.status().equals("succeeded") || done.succeeded() != n) {
            throw new IllegalStateException("job " + done.id() + " ended " + done.status() + " with "
                    + done.succeeded() + " of " + n + " items succeeded");
        }
        double minCosine = 1;
        for (int i = 0; i < reference.length; i++) {
            float[] api = results.firstEmbeddings().get(String.format(Locale.ROOT, "i-%06d", i));
            if (api == null) {
                throw new IllegalStateException("no result for i-" + i + " among the first results");
            }
            minCosine = Math.min(minCosine, ClipTowers.cosine(api, reference[i]));
        }
        if (results.lines() != n) {
            throw new IllegalStateException("job " + done.id() + " streamed " + results.lines() + " results for " + n
                    + " items");
        }
        if (minCosine < minCosineAllowed) {
            throw new IllegalStateException("the job's embeddings differ from the raw loop's (cosine " + minCosine
                    + "): the two sides do not compute the same thing");
        }
        double processing = Duration.between(done.startedAt(), done.finishedAt()).toNanos() / 1e9;
        // created_at is the upload transaction's start; the tasks become claimable at its commit (≈ the answer)
        double firstClaim = Duration.between(uploaded, done.startedAt()).toNanos() / 1e9;
        QueueFacts facts = dbUrl == null ? null : facts(dbUrl, dbUser, dbPassword, done.id());
        return new JobRun(name, r, n, bytes, (t1 - t0) / 1e9, done, processing, (t2 - t0) / 1e9, firstClaim,
                (t3 - t2) / 1e9, results.lines(), results.bytes(), s1.since(s0), s2.since(s1), facts, minCosine);
    }

    private void cpuRow(JobRun run, String phase, double wall, Map<String, Double> cpu) {
        StringBuilder row = new StringBuilder("| " + run.set() + " #" + run.run() + " | " + phase + " | "
                + Numbers.num(wall) + " | ");
        double total = 0;
        for (String label : cpuLabels(List.of(run))) {
            double s = cpu.getOrDefault(label, Double.NaN);
            row.append(Numbers.num(s)).append(" | ");
            total += Double.isNaN(s) ? 0 : s;
        }
        row.append(Numbers.num(total)).append(" | ").append(Numbers.num(total * 1000 / run.images())).append(" |");
        line(row.toString());
    }

    private static List<String> cpuLabels(List<JobRun> runs) {
        java.util.LinkedHashSet<String> labels = new java.util.LinkedHashSet<>();
        for (JobRun run : runs) {
            labels.addAll(run.cpuUpload().keySet());
            labels.addAll(run.cpuProcessing().keySet());
        }
        return List.copyOf(labels);
    }

    private static QueueFacts facts(String url, String user, String password, String jobId) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.setAutoCommit(false);
            try (java.sql.Statement role = c.createStatement()) {
                role.execute("SET LOCAL ROLE montage_system"); // the queue tables are tenant-scoped (RLS)
            }
            List<Double> seconds = new ArrayList<>();
            try (PreparedStatement tasks = c.prepareStatement("SELECT extract(epoch FROM finished_at - started_at) "
                    + "FROM tasks WHERE job_id = ? AND finished_at IS NOT NULL")) {
                tasks.setObject(1, UUID.fromString(jobId));
                try (ResultSet rs = tasks.executeQuery()) {
                    while (rs.next()) {
                        seconds.add(rs.getDouble(1));
                    }
                }
            }
            double input;
            double result;
            try (PreparedStatement items = c.prepareStatement("SELECT avg(pg_column_size(input)), "
                    + "avg(pg_column_size(result)) FROM items WHERE job_id = ?")) {
                items.setObject(1, UUID.fromString(jobId));
                try (ResultSet rs = items.executeQuery()) {
                    rs.next();
                    input = rs.getDouble(1);
                    result = rs.getDouble(2);
                }
            }
            return new QueueFacts(seconds.size(), new Latencies(seconds), input, result,
                    seconds.stream().mapToDouble(Double::doubleValue).sum());
        }
    }

    /** The montage.* settings this platform was started with (the script exports them), or their defaults. */
    private static String platformSettings() {
        Map<String, String> env = new TreeMap<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("MONTAGE_WORKER_") || k.startsWith("MONTAGE_QUEUE_") || k.startsWith("MONTAGE_INFERENCE_")
                    || k.startsWith("MONTAGE_DATABASE_POOL")) {
                env.put(k, v);
            }
        });
        String omp = System.getenv("OMP_WAIT_POLICY");
        return "1 api + 1 worker + PostgreSQL on this machine, the bench client too; "
                + (env.isEmpty() ? "platform defaults" : env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .reduce((a, b) -> a + ", " + b).orElse("")) + "; OMP_WAIT_POLICY=" + (omp == null ? "unset" : omp);
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }

    private int integer(String name, int fallback) {
        return args.containsKey(name) ? Integer.parseInt(args.get(name).replace("_", "")) : fallback;
    }

    private void line(String text) {
        report.append(text).append('\n');
    }

    private static void progress(String format, Object... args) {
        System.err.printf("[bulk-bench] " + format + "%n", args);
    }
}
