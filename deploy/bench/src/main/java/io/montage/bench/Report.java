package io.montage.bench;

import io.montage.bench.api.ApiResult;
import io.montage.bench.inputs.ImageSet;
import io.montage.bench.raw.Preprocessed;
import io.montage.bench.raw.RawResult;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The markdown the bench prints: the setting first, then one table per measurement, then what follows from them. */
final class Report {

    private final StringBuilder out = new StringBuilder();

    Report heading(String title, Bundle bundle, String engine, int threads, List<ImageSet> sets, List<String> notes) {
        var manifest = bundle.manifest();
        line("### " + title);
        line("");
        line("- machine: " + Machine.describe());
        line("- engine: " + engine + ", " + threads + " intra-op thread(s), 1 inter-op thread (as the worker)");
        line("- model: `" + bundle.reference() + "` from `" + bundle.dir() + "`, " + manifest.precision() + ", image tower `"
                + manifest.torchscript().imageMethod() + "`, input " + bundle.inputShape() + ", embedding "
                + manifest.embeddingDim());
        for (ImageSet set : sets) {
            line(String.format(Locale.ROOT, "- images `%s`: %s; mean %.1f KB encoded", set.name(), set.origin(),
                    set.meanKilobytes()));
        }
        notes.forEach(note -> line("- " + note));
        line("");
        return this;
    }

    Report raw(List<RawResult> results) {
        line("**Raw** (DJL straight: preprocessed tensors, one thread calling `predict` in a loop; median of timed "
                + "rounds; batch ÷ p50 latency is the same speed read off the typical batch, less sensitive to a "
                + "neighbour's burst; others / idle: the machine's CPU time used by other processes / left idle meanwhile)");
        line("");
        line("| batch | images/s (median) | range over rounds | batch ÷ p50 latency | batch latency p50 (ms) | p90 (ms) "
                + "| batches timed | CPU ms/image | others | idle |");
        line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (RawResult r : results) {
            line("| " + r.batch() + " | " + num(r.imagesPerSecond()) + " | " + num(r.roundRates().min()) + "–"
                    + num(r.roundRates().max()) + " | " + num(r.batch() * 1000 / r.batchMs().median()) + " | "
                    + num(r.batchMs().median()) + " | "
                    + num(r.batchMs().percentile(90)) + " | " + r.batchMs().count() + " | " + num(r.cpuMsPerImage())
                    + " | " + (r.cpu() == null ? "– | –" : String.format(Locale.ROOT, "%.0f %% | %.0f %%",
                    r.cpu().othersShare() * 100, r.cpu().idleShare() * 100)) + " |");
        }
        line("");
        return this;
    }

    Report decoding(List<Preprocessed> sets) {
        line("**Decode + preprocess** (the worker's ImageDecoder and ImagePreprocessor on one thread, per image; "
                + "the api path does this before the model, the raw loop does not)");
        line("");
        line("| set | images | mean KB | decode p50 (ms) | preprocess p50 (ms) | together, mean (ms) |");
        line("|---|---:|---:|---:|---:|---:|");
        for (Preprocessed p : sets) {
            line("| " + p.set().name() + " | " + p.set().images().size() + " | " + num(p.set().meanKilobytes()) + " | "
                    + num(p.decodeMs().median()) + " | " + num(p.preprocessMs().median()) + " | "
                    + num(meanPerImage(p)) + " |");
        }
        line("");
        return this;
    }

    Report api(List<ApiResult> results, Optional<RawResult> bestRaw) {
        line("**API** (`POST /v1/embeddings` on the running platform; C closed-loop clients, K images per request "
                + "as data URLs; api/raw = api images/s ÷ best raw images/s"
                + bestRaw.map(r -> " (" + num(r.imagesPerSecond()) + " at batch " + r.batch() + ")").orElse("") + ")");
        line("");
        line("| C | K | set | format | requests | images/s | p50 (ms) | p90 (ms) | p99 (ms) | failed | api/raw |");
        line("|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (ApiResult r : results) {
            var s = r.scenario();
            line("| " + s.clients() + " | " + s.perRequest() + " | " + s.set() + " | " + s.format() + " | "
                    + r.succeeded() + " | " + num(r.imagesPerSecond()) + " | " + num(r.latencyMs().median()) + " | "
                    + num(r.latencyMs().percentile(90)) + " | " + num(r.latencyMs().percentile(99)) + " | "
                    + r.failed() + " | "
                    + bestRaw.map(raw -> String.format(Locale.ROOT, "%.3f", r.imagesPerSecond() / raw.imagesPerSecond()))
                    .orElse("–") + " |");
        }
        line("");
        results.stream().filter(r -> r.firstFailure() != null).forEach(r ->
                line("- first failure in " + r.scenario() + ": `" + r.firstFailure().replace('`', '\'') + "`"));
        return this;
    }

    /** The cost of the platform for one image: a 1-image request's median minus the model's batch-1 median. */
    Report addedLatency(List<ApiResult> results, Optional<RawResult> batchOne, Map<String, Preprocessed> decoding) {
        if (batchOne.isEmpty()) {
            return this;
        }
        double model = batchOne.get().batchMs().median();
        for (ApiResult r : results) {
            if (r.scenario().clients() == 1 && r.scenario().perRequest() == 1 && r.succeeded() > 0) {
                double api = r.latencyMs().median();
                Preprocessed p = decoding.get(r.scenario().set());
                line("- added latency, 1 input (" + r.scenario().set() + ", " + r.scenario().format() + "): api p50 "
                        + num(api) + " ms − raw batch-1 p50 " + num(model) + " ms = **" + num(api - model)
                        + " ms**" + (p == null ? "" : " (of which decode + preprocess ≈ " + num(meanPerImage(p))
                        + " ms)") + (api < model ? " — negative: the raw batch-1 loop was disturbed (see its range)" : ""));
            }
        }
        return this;
    }

    /**
     * Where the machine's time went: CPU per image of each process (from /proc), and the biggest thread groups of
     * the api and the worker. On a 2-core box, throughput is simply 2 cores ÷ CPU per image once it is busy.
     */
    Report cpu(List<ApiResult> results, Optional<RawResult> leanestRaw) {
        List<ApiResult> measured = results.stream().filter(r -> r.cpu() != null && r.images() > 0).toList();
        if (measured.isEmpty()) {
            return this;
        }
        List<String> processes = List.copyOf(measured.getFirst().cpu().byProcess().keySet());
        int cores = Runtime.getRuntime().availableProcessors();
        line("");
        line("**CPU per image** (ms of CPU time, user + system, read from /proc around each timed phase; postgres = "
                + "the backends of the bench's database, not WAL writer or checkpointer; busy = all ÷ (wall × "
                + cores + " cores); others / idle = the machine's CPU time (/proc/stat) used by processes outside the "
                + "bench / left idle: idle cores while requests wait mean the platform stalls, others mean neighbours; "
                + "model share = the raw loop's CPU per image"
                + leanestRaw.map(r -> " (" + num(r.cpuMsPerImage()) + " ms at batch " + r.batch() + ")").orElse("")
                + " ÷ all: the part of the platform's work that is the model itself — unlike images/s, it hardly "
                + "depends on how busy the neighbours were)");
        line("");
        StringBuilder header = new StringBuilder("| C | K | set | format |");
        StringBuilder rule = new StringBuilder("|---:|---:|---|---|");
        for (String process : processes) {
            header.append(' ').append(process).append(" |");
            rule.append("---:|");
        }
        line(header + " all | busy | others | idle | model share |");
        line(rule + "---:|---:|---:|---:|---:|");
        for (ApiResult r : measured) {
            var s = r.scenario();
            StringBuilder row = new StringBuilder("| " + s.clients() + " | " + s.perRequest() + " | " + s.set() + " | "
                    + s.format() + " |");
            for (String process : processes) {
                row.append(' ').append(num(r.cpu().byProcess().getOrDefault(process, 0.0) / r.images())).append(" |");
            }
            double busy = r.cpu().totalMs() / (r.seconds() * 1000 * cores);
            double all = r.cpu().totalMs() / r.images();
            line(row + " " + num(all) + " | " + String.format(Locale.ROOT, "%.0f %% | %.0f %% | %.0f %%", busy * 100,
                    r.cpu().othersShare() * 100, r.cpu().idleShare() * 100) + " | "
                    + leanestRaw.map(raw -> String.format(Locale.ROOT, "%.2f", raw.cpuMsPerImage() / all)).orElse("–")
                    + " |");
        }
        line("");
        line("Biggest thread groups (ms of CPU per image; JVM threads by name, digits → *; libtorch's OpenMP threads "
                + "carry the name of the thread that started them):");
        line("");
        for (ApiResult r : measured) {
            for (String process : List.of("worker", "api")) {
                Map<String, Double> groups = r.cpu().byThreadGroup().get(process);
                if (groups == null) {
                    continue;
                }
                double total = groups.values().stream().mapToDouble(Double::doubleValue).sum();
                String top = groups.entrySet().stream()
                        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                        .filter(e -> e.getValue() >= 0.03 * total).limit(6)
                        .map(e -> "`" + e.getKey() + "` " + num(e.getValue() / r.images()))
                        .collect(java.util.stream.Collectors.joining(", "));
                line("- " + r.scenario() + " " + process + ": " + top);
            }
        }
        line("");
        return this;
    }

    Report line(String text) {
        out.append(text).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private static double meanPerImage(Preprocessed p) {
        // medians do not add up; for "what one image costs" the means of both steps do
        return p.decodeMs().mean() + p.preprocessMs().mean();
    }

    static String num(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        double abs = Math.abs(value);
        return String.format(Locale.ROOT, abs >= 100 ? "%.0f" : abs >= 10 ? "%.1f" : "%.2f", value);
    }
}
