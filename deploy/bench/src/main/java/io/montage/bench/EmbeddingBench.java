package io.montage.bench;

import io.montage.bench.api.ApiBench;
import io.montage.bench.api.ApiResult;
import io.montage.bench.api.ApiScenario;
import io.montage.bench.cpu.ProcessSet;
import io.montage.bench.inputs.ImageSet;
import io.montage.bench.inputs.ImageSets;
import io.montage.bench.raw.ClipTowers;
import io.montage.bench.raw.Preprocessed;
import io.montage.bench.raw.RawBench;
import io.montage.bench.raw.RawResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How much of a model's speed survives the platform. For one bundle and one set of real images it measures
 * <ol>
 * <li><b>raw</b>: the image tower loaded straight into DJL and fed ready tensors in a tight loop — the ceiling;</li>
 * <li><b>api</b>: the same images through a running Montage's {@code POST /v1/embeddings} (HTTP, auth, the
 * PostgreSQL queue, a worker decoding, batching and running the same TorchScript, results back through the
 * database) — what tenants get;</li>
 * </ol>
 * and prints both as markdown with their ratio. Run raw while the platform is idle and in the same run as the api
 * part: on a shared machine only numbers taken side by side compare.
 */
public final class EmbeddingBench {

    private EmbeddingBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ClipTowers.configureEngine(options.engineThreads()); // before anything loads the engine
        Path temp = Files.createTempDirectory("montage-bench-");
        try {
            String report = run(options, temp);
            System.out.println(report);
            if (options.out() != null) {
                Files.writeString(options.out(), report + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        } finally {
            try (var files = Files.list(temp)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(temp);
        }
    }

    private static String run(BenchOptions options, Path temp) throws Exception {
        Bundle bundle = Bundle.read(options.bundle());
        String loadAtStart = Machine.loadAverage();
        Map<String, ImageSet> sets = imageSets(options, temp);
        List<Preprocessed> prepared = new ArrayList<>();
        for (ImageSet set : sets.values()) {
            progress("decoding and preprocessing %d %s images (%d timed passes)", set.images().size(), set.name(),
                    options.decodePasses());
            prepared.add(Preprocessed.of(set, bundle.manifest().image(), options.decodePasses()));
        }
        Map<String, Preprocessed> bySet = new LinkedHashMap<>();
        prepared.forEach(p -> bySet.put(p.set().name(), p));

        List<RawResult> raw = new ArrayList<>();
        Map<String, float[]> references = new LinkedHashMap<>(); // first image of each set, raw, normalised
        if (!options.skipRaw()) {
            progress("loading %s into DJL", bundle.dir());
            try (ClipTowers tower = ClipTowers.load(bundle)) {
                RawBench bench = new RawBench(tower, prepared.getFirst().pixels(), options.rounds(),
                        options.roundSeconds());
                for (int batch : options.batches()) {
                    progress("raw: batch %d (%d rounds of %.1f s after warm-up)", batch, options.rounds(),
                            options.roundSeconds());
                    RawResult result = bench.run(batch);
                    progress("raw: batch %d: %s images/s, %s ms per batch", batch, Report.num(result.imagesPerSecond()),
                            Report.num(result.batchMs().median()));
                    raw.add(result);
                }
                for (Preprocessed p : prepared) {
                    references.put(p.set().name(), tower.normalisedEmbedding(p.pixels().getFirst()));
                }
            }
        }
        String engine = ClipTowers.engineVersion();

        List<ApiResult> api = new ArrayList<>();
        List<String> checks = new ArrayList<>();
        if (options.api() != null) {
            ApiBench bench = new ApiBench(options.api(), options.key(), options.model(), sets, options.apiSeconds(),
                    options.apiMaxRequests(), options.apiWarmup(), measuredProcesses(options));
            for (var reference : references.entrySet()) {
                var image = sets.get(reference.getKey()).images().getFirst();
                double cosine = bench.cosine(image, reference.getValue());
                checks.add(String.format(java.util.Locale.ROOT, "`%s` %.6f", image.name(), cosine));
                if (cosine < 0.9999) {
                    throw new IllegalStateException("the api's embedding of " + image.name() + " differs from the "
                            + "raw one (cosine " + cosine + "): the two sides do not run the same model on the same "
                            + "pixels, so comparing their speed means nothing");
                }
            }
            if (options.apiWarmupSeconds() > 0) {
                progress("api: warming up the platform on all scenarios for %.0f s", options.apiWarmupSeconds());
                bench.warmUp(options.scenarios(), options.apiWarmupSeconds());
            }
            for (ApiScenario scenario : options.scenarios()) {
                progress("api: %s (warm-up %d per client, then at most %d requests or %.0f s)", scenario,
                        options.apiWarmup(), options.apiMaxRequests(), options.apiSeconds());
                ApiResult result = bench.run(scenario);
                progress("api: %s: %s images/s, p50 %s ms, %d failed", scenario, Report.num(result.imagesPerSecond()),
                        Report.num(result.latencyMs().median()), result.failed());
                api.add(result);
            }
        }

        Optional<RawResult> bestRaw = raw.stream().max(Comparator.comparingDouble(RawResult::imagesPerSecond));
        Optional<RawResult> batchOne = raw.stream().filter(r -> r.batch() == 1).findFirst();
        String title = options.title() != null ? options.title()
                : "Embedding benchmark: " + bundle.reference() + " (" + bundle.manifest().precision() + ")";
        List<String> notes = new ArrayList<>(options.notes());
        notes.add("load average (1, 5, 15 min) at start " + loadAtStart + ", at end " + Machine.loadAverage()
                + " — above the core count means someone else was busy too");
        Report report = new Report().heading(title, bundle, engine, options.engineThreads(),
                List.copyOf(sets.values()), notes);
        if (!raw.isEmpty()) {
            report.raw(raw);
        }
        report.decoding(prepared);
        if (!api.isEmpty()) {
            report.api(api, bestRaw).addedLatency(api, batchOne, bySet).cpu(api, raw.stream()
                    .filter(r -> r.cpu() != null).min(Comparator.comparingDouble(RawResult::cpuMsPerImage)));
        }
        if (!checks.isEmpty()) {
            report.line("- same result both ways: cosine(api, raw) of " + String.join(", ", checks));
        }
        return report.toString();
    }

    /** The platform's processes and this client, when the script said which they are. */
    private static List<ProcessSet> measuredProcesses(BenchOptions options) {
        List<ProcessSet> sets = new ArrayList<>();
        options.cpuPids().forEach((label, pid) -> sets.add(ProcessSet.pid(label, pid)));
        if (options.database() != null) {
            sets.add(ProcessSet.postgresBackends(options.database()));
        }
        if (!sets.isEmpty()) {
            sets.add(ProcessSet.pid("client", ProcessHandle.current().pid()));
        }
        return sets;
    }

    private static Map<String, ImageSet> imageSets(BenchOptions options, Path temp) throws IOException {
        Map<String, ImageSet> sets = new LinkedHashMap<>();
        ImageSet small = ImageSets.small(options.images());
        sets.put(small.name(), small);
        if (options.cameraSet()) {
            progress("making %d camera-size JPEGs (%dx%d) in %s", options.cameraCount(), options.cameraWidth(),
                    options.cameraHeight(), temp);
            ImageSet camera = ImageSets.camera(small, options.cameraWidth(), options.cameraHeight(),
                    options.cameraCount(), temp);
            sets.put(camera.name(), camera);
        }
        return sets;
    }

    private static void progress(String format, Object... args) {
        System.err.printf("[bench] " + format + "%n", args);
    }
}
