package io.montage.bench.soak;

import io.montage.bench.NamedArgs;
import io.montage.bench.bulk.JobClient;
import io.montage.bench.bulk.JobClient.JobState;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The soak (deploy/bench/run-soak.sh): uploads {@code --items} embed items of {@link SoakMix} as {@code --jobs}
 * JSONL jobs made as they are sent, one after the other, while it samples the worker, the api and the queue tables
 * every {@code --interval} seconds (see {@link Sample}); then a few samples more with the platform idle. Writes the
 * CSV, the PNGs of {@link SoakCharts}, and a report whose last line is the summary: items/s and the fitted slope of
 * the worker's native memory (resident outside the Java heap) over the steady part. {@code --max-seconds} cuts the run short
 * (the report says so and gives the items finished by then). Unless {@code --autovacuum-every 0}, the
 * {@link Autovacuum} stand-in checks the queue tables every minute, as a production cluster's autovacuum would.
 */
public final class SoakBench {

    private static final String USAGE = "SoakBench --api URL --key KEY --images DIR --worker-pid PID --api-pid PID "
            + "--worker-metrics URL --api-metrics URL --db-url JDBC --db-password P --csv FILE --png-dir DIR "
            + "[--items 1000000] [--jobs 1] [--camera-per-mille 10] [--interval 5] [--max-seconds 5400] "
            + "[--steady-from 0.2] [--flat-below 2] [--autovacuum-every 60 (0: off)] [--png-prefix soak] "
            + "[--db-user montage_owner] [--out FILE] [--note …]";
    private static final int IDLE_SAMPLES = 3;

    private SoakBench() {
    }

    public static void main(String[] argv) throws Exception {
        NamedArgs args = NamedArgs.parse(argv, List.of("api", "key", "images", "worker-pid", "api-pid",
                "worker-metrics", "api-metrics", "db-url", "db-password", "csv", "png-dir"), USAGE);
        long items = Long.parseLong(args.get("items", "1000000"));
        int jobs = args.integer("jobs", 1);
        int intervalSeconds = args.integer("interval", 5);
        long deadline = System.nanoTime() + Duration.ofSeconds(args.integer("max-seconds", 5400)).toNanos();
        double steadyFrom = Double.parseDouble(args.get("steady-from", "0.2"));
        double flatBelow = Double.parseDouble(args.get("flat-below", "2"));

        Path temp = Files.createTempDirectory("soak-camera");
        SoakMix mix = SoakMix.create(args.integer("camera-per-mille", 10), Path.of(args.get("images")), temp);
        JobClient client = new JobClient(args.get("api"), args.get("key"));
        Progress progress = new Progress(client);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<Sample> samples;
        boolean cutShort = false;
        List<JobState> states;
        String vacuumed;
        try (JvmProcess worker = new JvmProcess(Long.parseLong(args.get("worker-pid")),
                URI.create(args.get("worker-metrics")), http);
             JvmProcess api = new JvmProcess(Long.parseLong(args.get("api-pid")), URI.create(args.get("api-metrics")),
                     http);
             TableSizes tables = new TableSizes(args.get("db-url"), args.get("db-user", "montage_owner"),
                     args.get("db-password"));
             Sampler sampler = new Sampler(worker, api, tables, Path.of(args.get("csv")));
             Autovacuum autovacuum = new Autovacuum(args.get("db-url"), args.get("db-user", "montage_owner"),
                     args.get("db-password"));
             ScheduledExecutorService vacuumer = Executors.newSingleThreadScheduledExecutor()) {
            int vacuumEvery = args.integer("autovacuum-every", 60);
            if (vacuumEvery > 0) {
                vacuumer.scheduleWithFixedDelay(() -> {
                    try {
                        autovacuum.pass();
                    } catch (SQLException e) {
                        System.err.println("autovacuum stand-in failed: " + e.getMessage());
                    }
                }, 0, vacuumEvery, TimeUnit.SECONDS);
            }
            CompletableFuture<Void> uploads = CompletableFuture.runAsync(() -> upload(client, progress, mix, items, jobs));
            int idle = 0;
            while (true) {
                states = progress.states();
                boolean uploading = !uploads.isDone();
                boolean finished = !uploading && states.size() == jobs && states.stream().allMatch(JobState::terminal);
                sampler.take(uploading ? "upload" : finished ? "idle" : "processing", Progress.done(states));
                if (uploads.isCompletedExceptionally()) {
                    uploads.join(); // throws the upload's failure
                }
                if (finished && ++idle > IDLE_SAMPLES) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    cutShort = true;
                    break;
                }
                Thread.sleep(intervalSeconds * 1000L);
            }
            samples = sampler.samples();
            vacuumer.shutdownNow();
            vacuumed = vacuumEvery > 0 ? String.format(Locale.ROOT, "every %d s: %d VACUUM, %d ANALYZE", vacuumEvery,
                    autovacuum.vacuums(), autovacuum.analyzes()) : "off";
        }
        Flatness fit = Flatness.fit(samples, Sample::workerNative, steadyFrom);
        List<String> pngs = SoakCharts.write(samples, fit, Path.of(args.get("png-dir")),
                args.get("png-prefix", "soak"));
        args.notes().add("autovacuum stand-in (the test cluster runs autovacuum = off): " + vacuumed);
        args.publish(report(args, mix, items, states, samples, fit, flatBelow, pngs, cutShort));
    }

    /** The jobs one after the other, each of items/jobs consecutive items (the last takes the remainder). */
    private static void upload(JobClient client, Progress progress, SoakMix mix, long items, int jobs) {
        long per = items / jobs;
        for (int j = 0; j < jobs; j++) {
            long from = j * per;
            long to = j == jobs - 1 ? items : from + per;
            try {
                JobState job = client.upload(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new JsonlStream(mix, from, to)), Duration.ofHours(2));
                progress.add(job.id());
                System.err.printf(Locale.ROOT, "job %d/%d: %s, %,d items uploaded%n", j + 1, jobs, job.id(),
                        job.total());
            } catch (Exception e) {
                throw new IllegalStateException("upload of items " + from + "-" + to + " failed: " + e.getMessage(), e);
            }
        }
    }

    private static String report(NamedArgs args, SoakMix mix, long items, List<JobState> states, List<Sample> samples,
                                 Flatness fit, double flatBelow, List<String> pngs, boolean cutShort) {
        long done = Progress.done(states);
        long failed = states.stream().mapToLong(JobState::failed).sum();
        var firstCreated = states.stream().map(JobState::createdAt).min(java.util.Comparator.naturalOrder())
                .orElseThrow();
        var lastFinished = states.stream().map(JobState::finishedAt).filter(java.util.Objects::nonNull)
                .max(java.util.Comparator.naturalOrder()).orElse(null);
        List<Sample> upload = samples.stream().filter(s -> s.phase().equals("upload")).toList();
        List<Sample> processing = samples.stream().filter(s -> !s.phase().equals("upload")).toList();
        Sample end = samples.getLast();
        List<String> lines = new ArrayList<>();
        lines.add("## Soak " + java.time.Instant.now());
        lines.add("");
        args.notes().forEach(note -> lines.add("- " + note));
        lines.add(String.format(Locale.ROOT, "- %,d items in %d job(s), mix: %s", items, states.size(), mix.describe()));
        lines.add(String.format(Locale.ROOT, "- samples: %d, every %s s over %.0f s (%d while uploading)",
                samples.size(), args.get("interval", "5"), end.seconds(), upload.size()));
        lines.add(String.format(Locale.ROOT, "- jobs: %s", states.stream()
                .map(s -> s.id() + " " + s.status() + " " + s.succeeded() + "+" + s.failed() + "/" + s.total()).toList()));
        if (lastFinished != null && !cutShort) {
            double seconds = Duration.between(firstCreated, lastFinished).toMillis() / 1000.0;
            lines.add(String.format(Locale.ROOT, "- first job created → last finished: %.0f s, %.0f items/s", seconds,
                    done / seconds));
        }
        lines.add(range("worker RSS", processing, Sample::workerRss));
        lines.add(range("worker heap used", processing, Sample::workerHeapUsed));
        lines.add(range("worker heap committed", processing, Sample::workerHeapCommitted));
        lines.add(range("worker native (resident outside the heap)", processing, Sample::workerNative));
        lines.add(range("worker NMT outside the heap", processing, Sample::workerNmtNonHeap));
        lines.add(range("api RSS while uploading", upload, Sample::apiRss));
        lines.add(range("api heap used while uploading", upload, Sample::apiHeapUsed));
        lines.add(range("api heap committed while uploading", upload, Sample::apiHeapCommitted));
        lines.add(range("api native (resident outside the heap) while uploading", upload, Sample::apiNative));
        lines.add(range("api RSS after the upload", processing, Sample::apiRss));
        lines.add(String.format(Locale.ROOT, "- PostgreSQL at the end (MiB): items %.0f + TOAST %.0f + indexes %.0f; "
                        + "tasks %.1f + %.1f + %.1f; jobs %.2f + %.2f + %.2f", end.itemsHeap(), end.itemsToast(),
                end.itemsIndexes(), end.tasksHeap(), end.tasksToast(), end.tasksIndexes(), end.jobsHeap(),
                end.jobsToast(), end.jobsIndexes()));
        lines.add(String.format(Locale.ROOT, "- worker NMT outside the heap, fitted the same way: %+.2f MiB per 100k "
                + "items; the api's native memory (resident outside its heap) %+.2f MiB per 100k items",
                Flatness.fit(samples, Sample::workerNmtNonHeap, fit.fromItems() / (double) done).slopePer100k(),
                Flatness.fit(samples, Sample::apiNative, fit.fromItems() / (double) done).slopePer100k()));
        lines.add("- plots: " + String.join(", ", pngs) + " in " + args.get("png-dir") + "; CSV " + args.get("csv"));
        lines.add("");
        boolean flat = Math.abs(fit.slopePer100k()) < flatBelow;
        lines.add(String.format(Locale.ROOT, "soak: %s%,d items finished (%,d failed)%s; worker native memory "
                        + "(resident outside the Java heap) %+.2f MiB per 100k items over the steady part (%,d → %,d items, %d "
                        + "samples: %.0f → %.0f MiB): %s (threshold ±%.1f MiB per 100k items)",
                cutShort ? "CUT SHORT at --max-seconds: " : "", done, failed,
                lastFinished != null && !cutShort ? String.format(Locale.ROOT, " at %.0f items/s", done
                        / (Duration.between(firstCreated, lastFinished).toMillis() / 1000.0)) : "",
                fit.slopePer100k(), fit.fromItems(), fit.toItems(), fit.points(), fit.first(), fit.last(),
                flat ? "flat" : "GROWING", flatBelow));
        return String.join("\n", lines);
    }

    private static String range(String what, List<Sample> samples, ToDoubleFunction<Sample> series) {
        if (samples.isEmpty()) {
            return "- " + what + ": no samples";
        }
        var stats = samples.stream().mapToDouble(series).summaryStatistics();
        return String.format(Locale.ROOT, "- %s: %.0f-%.0f MiB (first %.0f, last %.0f)", what, stats.getMin(),
                stats.getMax(), series.applyAsDouble(samples.getFirst()), series.applyAsDouble(samples.getLast()));
    }
}
