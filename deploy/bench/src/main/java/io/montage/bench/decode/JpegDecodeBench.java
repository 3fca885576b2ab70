package io.montage.bench.decode;

import io.montage.bench.Latencies;
import io.montage.bench.Machine;
import io.montage.bench.NamedArgs;
import io.montage.bench.inputs.BenchImage;
import io.montage.bench.inputs.ImageSet;
import io.montage.bench.inputs.ImageSets;
import io.montage.models.ModelManifest;
import io.montage.worker.images.DecodedImage;
import io.montage.worker.images.ImageDecoder;
import io.montage.worker.images.ImageLimits;
import io.montage.worker.images.ImagePreprocessor;
import io.montage.worker.images.JpegDecoding;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The worker's two JPEG decoders side by side on the camera-size set (ImageSets.camera, 1024×768 q90): the JDK's
 * (ImageIO) and libjpeg-turbo (FFM), and what follows the decode: the PIL-exact preprocessing of those pixels to a
 * CLIP-style RGB 224 tensor and to the demo model's L 28 one. One thread, all interleaved image by image, so that
 * the machine's load falls on each alike; wall and thread CPU milliseconds per image, and the decoders' ratio.
 *
 * <pre>java -cp … io.montage.bench.decode.JpegDecodeBench --images DIR [--passes 20] [--out FILE] [--note …]</pre>
 */
public final class JpegDecodeBench {

    private static final ImageLimits LIMITS = new ImageLimits(20 * 1024 * 1024, 40_000_000L);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** OpenAI CLIP's preprocessing, as the PIL reference tests have it. */
    private static final ModelManifest.Image CLIP = new ModelManifest.Image("shortest_edge", 224, "bicubic",
            "center", "round", 224, "RGB", List.of(0.48145466, 0.4578275, 0.40821073),
            List.of(0.26862954, 0.26130258, 0.27577711));
    /** The demo bundle's (deploy/models/fashion-clip-mini). */
    private static final ModelManifest.Image DEMO = new ModelManifest.Image("shortest_edge", 28, "bicubic",
            "center", "round", 28, "L", List.of(0.286), List.of(0.353));

    private JpegDecodeBench() {
    }

    public static void main(String[] args) throws IOException {
        NamedArgs options = NamedArgs.parse(args, List.of("images"),
                "JpegDecodeBench --images DIR [--passes 20] [--out FILE] [--note …]");
        int passes = options.integer("passes", 20);
        Path temp = Files.createTempDirectory("jpeg-bench");
        ImageSet camera = ImageSets.camera(ImageSets.small(Path.of(options.get("images"))), 1024, 768, 8, temp);
        try (var files = Files.list(temp)) { // the set is in memory now
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(temp);
        ImageDecoder java = new ImageDecoder(LIMITS, new JpegDecoding(JpegDecoding.Choice.JAVA));
        ImageDecoder turbo = new ImageDecoder(LIMITS, new JpegDecoding(JpegDecoding.Choice.NATIVE));
        ImagePreprocessor clip = new ImagePreprocessor(CLIP);
        ImagePreprocessor demo = new ImagePreprocessor(DEMO);
        String loadBefore = Machine.loadAverage();
        Timing javaTiming = new Timing("decode: JDK (ImageIO)");
        Timing turboTiming = new Timing("decode: libjpeg-turbo");
        Timing clipTiming = new Timing("preprocess: RGB 224 (CLIP)");
        Timing demoTiming = new Timing("preprocess: L 28 (demo model)");
        for (int pass = -3; pass < passes; pass++) { // three untimed passes: the JIT's
            boolean timed = pass >= 0;
            for (BenchImage image : camera.images()) {
                DecodedImage a = javaTiming.time(() -> java.decode(image.bytes()), timed);
                DecodedImage b = turboTiming.time(() -> turbo.decode(image.bytes()), timed);
                if (a.width() != b.width() || a.height() != b.height() || a.channels() != b.channels()) {
                    throw new IllegalStateException(image.name() + ": the decoders disagree on its shape");
                }
                clipTiming.time(() -> clip.preprocess(b), timed);
                demoTiming.time(() -> demo.preprocess(b), timed);
            }
        }
        options.publish(report(camera, passes, List.of(javaTiming, turboTiming, clipTiming, demoTiming), loadBefore,
                Machine.loadAverage(), String.join("; ", options.notes())));
    }

    private static String report(ImageSet set, int passes, List<Timing> timings, String loadBefore,
                                 String loadAfter, String note) {
        Timing java = timings.get(0);
        Timing turbo = timings.get(1);
        StringBuilder out = new StringBuilder("## JPEG decoding and preprocessing: JDK (ImageIO) vs libjpeg-turbo"
                + " (FFM), then PIL-exact resize\n\n");
        out.append(Machine.describe()).append("\n\nload average before ").append(loadBefore).append(", after ")
                .append(loadAfter).append(note.isEmpty() ? "" : "; " + note).append("\n\n")
                .append(set.origin()).append(String.format(", mean %.0f KB; %d passes, one thread, everything"
                        + " interleaved image by image (preprocessing of libjpeg-turbo's pixels)%n%n",
                        set.meanKilobytes(), passes))
                .append("| step | wall p50 ms | wall mean ms | CPU mean ms |\n|---|---|---|---|\n");
        for (Timing timing : timings) {
            out.append(timing.row()).append('\n');
        }
        out.append(String.format("%nlibjpeg-turbo ÷ JDK: wall p50 %.2f×, CPU mean %.2f×%n%n",
                turbo.wall().median() / java.wall().median(), turbo.cpu().mean() / java.cpu().mean()));
        return out.toString();
    }

    /** Wall and thread-CPU milliseconds of each timed run of one step. */
    private static final class Timing {

        private final String name;
        private final List<Double> wall = new ArrayList<>();
        private final List<Double> cpu = new ArrayList<>();

        Timing(String name) {
            this.name = name;
        }

        <T> T time(Supplier<T> step, boolean timed) {
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            T result = step.get();
            if (timed) {
                wall.add((System.nanoTime() - start) / 1e6);
                cpu.add((THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6);
            }
            return result;
        }

        Latencies wall() {
            return new Latencies(wall);
        }

        Latencies cpu() {
            return new Latencies(cpu);
        }

        String row() {
            return String.format("| %s | %.2f | %.2f | %.2f |", name, wall().median(), wall().mean(), cpu().mean());
        }
    }
}
