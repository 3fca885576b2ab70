package io.montage.bench.raw;

import io.montage.bench.Bundle;
import io.montage.bench.Latencies;
import io.montage.bench.Machine;
import io.montage.bench.NamedArgs;
import io.montage.bench.inputs.ImageSets;
import io.montage.worker.evaluation.ProcessMemory;
import io.montage.worker.inference.TowerTranslator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A bundle and its variants (deploy/models/make_variants.py: int8, bf16) side by side in one JVM through DJL, the
 * way the worker loads them: per model its weights (the TorchScript file), the resident memory its load and warm-up
 * added (loaded one after the other, after a throwaway load took the engine's own memory, so each growth is its
 * own; approximate, as the native allocator reuses what it freed), each tower's items/s at each batch size (the
 * models interleaved round by round, so a neighbour's burst falls on all of them alike; median of the rounds), and
 * its fidelity against the first bundle: the cosine of the two embeddings of the same image or text, min and mean.
 *
 * <pre>java -cp … io.montage.bench.raw.VariantBench --bundles FP32_DIR,INT8_DIR,BF16_DIR --images DIR
 *     [--batches 1,8,32] [--rounds 7] [--round-seconds 1] [--threads 2] [--out FILE] [--note …]</pre>
 */
public final class VariantBench {

    /** Short captions of the demo's classes: text-tower inputs of a realistic length. */
    private static final List<String> TEXTS = List.of("a photo of a t-shirt/top.", "a picture of a trouser",
            "pullover", "a product photo of the dress", "an image of a coat", "a photo of the sandal.",
            "a black and white photo of a shirt.", "a low resolution photo of a sneaker.", "a bag", "ankle boot");

    private VariantBench() {
    }

    /** One loaded model and what was measured of it. */
    private record Measured(Bundle bundle, ClipTowers towers, long weightBytes, long loadRssBytes,
                            Map<String, Map<Integer, List<Double>>> rates) {
    }

    public static void main(String[] args) throws Exception {
        NamedArgs options = NamedArgs.parse(args, List.of("bundles", "images"),
                "VariantBench --bundles A,B,… --images DIR [--batches 1,8,32] [--rounds 7] [--round-seconds 1] "
                        + "[--threads 2] [--out FILE] [--note …]");
        int threads = options.integer("threads", 2);
        ClipTowers.configureEngine(threads); // before anything loads the engine
        List<Integer> batches = List.of(options.get("batches", "1,8,32").split(",")).stream()
                .map(Integer::parseInt).toList();
        int rounds = options.integer("rounds", 7);
        double roundSeconds = Double.parseDouble(options.get("round-seconds", "1"));
        String loadBefore = Machine.loadAverage();

        List<Bundle> bundles = new ArrayList<>();
        for (String dir : options.get("bundles").split(",")) {
            bundles.add(Bundle.read(Path.of(dir)));
        }
        List<float[]> pixels = Preprocessed.of(ImageSets.small(Path.of(options.get("images"))),
                bundles.getFirst().manifest().image(), 1).pixels();
        // the engine's libraries, thread pools and first allocations are nobody's model: a throwaway load takes them
        warmedUp(bundles.getLast(), pixels, batches).close();
        List<Measured> models = new ArrayList<>();
        for (Bundle bundle : bundles) {
            long before = ProcessMemory.residentSetSize();
            ClipTowers towers = warmedUp(bundle, pixels, batches);
            models.add(new Measured(bundle, towers, Files.size(bundle.dir()
                    .resolve(bundle.manifest().torchscript().file())), ProcessMemory.residentSetSize() - before,
                    new LinkedHashMap<>()));
        }
        try {
            for (int round = 0; round < rounds; round++) {
                for (int batch : batches) {
                    TowerTranslator.Pixels images = models.getFirst().towers().pack(rows(pixels, batch));
                    TowerTranslator.Tokens texts = models.getFirst().towers().tokens(rows(TEXTS, batch));
                    for (Measured m : models) {
                        record(m, "image", batch, rate(roundSeconds, batch, () -> m.towers().embed(images)));
                        record(m, "text", batch, rate(roundSeconds, batch, () -> m.towers().embed(texts)));
                    }
                }
            }
            options.publish(report(models, pixels, batches, rounds, roundSeconds, threads, loadBefore, options));
        } finally {
            models.forEach(m -> m.towers().close());
        }
    }

    /** The bundle loaded, each tower called 3 times at each batch size (TorchScript profiles, then optimises). */
    private static ClipTowers warmedUp(Bundle bundle, List<float[]> pixels, List<Integer> batches) throws Exception {
        ClipTowers towers = ClipTowers.load(bundle);
        for (int batch : batches) {
            for (int i = 0; i < 3; i++) {
                towers.embed(towers.pack(rows(pixels, batch)));
                towers.embed(towers.tokens(rows(TEXTS, batch)));
            }
        }
        return towers;
    }

    private interface Call {
        void run() throws Exception;
    }

    /** Items per second of {@code call} (one batch of {@code batch}) repeated for {@code seconds}, at least once. */
    private static double rate(double seconds, int batch, Call call) throws Exception {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        int items = 0;
        long now;
        do {
            call.run();
            items += batch;
            now = System.nanoTime();
        } while (now < end);
        return items / ((now - start) / 1e9);
    }

    private static void record(Measured m, String tower, int batch, double rate) {
        m.rates().computeIfAbsent(tower, t -> new LinkedHashMap<>()).computeIfAbsent(batch, b -> new ArrayList<>())
                .add(rate);
    }

    private static <T> List<T> rows(List<T> from, int count) {
        List<T> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(from.get(i % from.size()));
        }
        return out;
    }

    private static String report(List<Measured> models, List<float[]> pixels, List<Integer> batches, int rounds,
                                 double roundSeconds, int threads, String loadBefore, NamedArgs options)
            throws Exception {
        Measured base = models.getFirst();
        float[][] baseImages = base.towers().embedImages(pixels);
        float[][] baseTexts = base.towers().embedTexts(TEXTS);
        StringBuilder out = new StringBuilder();
        out.append("### Variants of ").append(base.bundle().manifest().name()).append(" side by side (")
                .append(ClipTowers.engineVersion()).append(")\n\n");
        out.append("- machine: ").append(Machine.describe()).append("; ").append(threads)
                .append(" intra-op threads, 1 inter-op\n");
        out.append("- load average before ").append(loadBefore).append(", after ").append(Machine.loadAverage())
                .append("\n");
        out.append(String.format(Locale.ROOT, "- items/s: median of %d rounds of %.1f s per model, tower and batch, "
                + "the models interleaved; ratio = ÷ %s%n", rounds, roundSeconds, base.bundle().reference()));
        out.append("- fidelity: cosine with ").append(base.bundle().reference()).append(" on ").append(pixels.size())
                .append(" images and ").append(TEXTS.size()).append(" texts, min / mean\n");
        options.notes().forEach(n -> out.append("- ").append(n).append('\n'));
        out.append("\n| model | precision | weights | RSS added by load | image cos min / mean | text cos min / mean |");
        for (String tower : List.of("image", "text")) {
            for (int batch : batches) {
                out.append(' ').append(tower).append("/s B=").append(batch).append(" |");
            }
        }
        out.append("\n|---|---|---:|---:|---:|---:|").append("---:|".repeat(2 * batches.size())).append('\n');
        for (Measured m : models) {
            float[][] images = m.towers().embedImages(pixels);
            float[][] texts = m.towers().embedTexts(TEXTS);
            out.append("| ").append(m.bundle().reference()).append(" | ").append(m.bundle().manifest().precision())
                    .append(" | ").append(megabytes(m.weightBytes())).append(" | ")
                    .append(megabytes(m.loadRssBytes())).append(" | ").append(cosines(baseImages, images))
                    .append(" | ").append(cosines(baseTexts, texts)).append(" |");
            for (String tower : List.of("image", "text")) {
                for (int batch : batches) {
                    double rate = new Latencies(m.rates().get(tower).get(batch)).median();
                    double baseRate = new Latencies(base.rates().get(tower).get(batch)).median();
                    out.append(String.format(Locale.ROOT, " %,.0f", rate));
                    if (m != base) {
                        out.append(String.format(Locale.ROOT, " (%.2f×)", rate / baseRate));
                    }
                    out.append(" |");
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String cosines(float[][] expected, float[][] actual) {
        double min = 1;
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            double c = ClipTowers.cosine(expected[i], actual[i]);
            min = Math.min(min, c);
            sum += c;
        }
        return String.format(Locale.ROOT, "%.6f / %.6f", min, sum / expected.length);
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }
}
