package io.montage.bench.decode;

import io.montage.bench.Latencies;
import io.montage.bench.Machine;
import io.montage.bench.NamedArgs;
import io.montage.bench.inputs.BenchImage;
import io.montage.bench.inputs.ImageSet;
import io.montage.bench.inputs.ImageSets;
import io.montage.worker.images.DecodedImage;
import io.montage.worker.images.ImageDecoder;
import io.montage.worker.images.ImageLimits;
import io.montage.worker.images.JpegDecoding;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker's two JPEG decoders side by side on the camera-size set (ImageSets.camera, 1024×768 q90): the JDK's
 * (ImageIO) and libjpeg-turbo (FFM). One thread, the two interleaved image by image, so that the machine's load
 * falls on both alike; wall and thread CPU milliseconds per image, and their ratio.
 *
 * <pre>java -cp … io.montage.bench.decode.JpegDecodeBench --images DIR [--passes 20] [--out FILE] [--note …]</pre>
 */
public final class JpegDecodeBench {

    private static final ImageLimits LIMITS = new ImageLimits(20 * 1024 * 1024, 40_000_000L);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

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
        String loadBefore = Machine.loadAverage();
        Timing javaTiming = new Timing();
        Timing turboTiming = new Timing();
        for (int pass = -3; pass < passes; pass++) { // three untimed passes: the JIT's
            for (BenchImage image : camera.images()) {
                DecodedImage a = javaTiming.decode(java, image, pass >= 0);
                DecodedImage b = turboTiming.decode(turbo, image, pass >= 0);
                if (a.width() != b.width() || a.height() != b.height() || a.channels() != b.channels()) {
                    throw new IllegalStateException(image.name() + ": the decoders disagree on its shape");
                }
            }
        }
        options.publish(report(camera, passes, javaTiming, turboTiming, loadBefore, Machine.loadAverage(),
                String.join("; ", options.notes())));
    }

    private static String report(ImageSet set, int passes, Timing java, Timing turbo, String loadBefore,
                                 String loadAfter, String note) {
        StringBuilder out = new StringBuilder("## JPEG decoding: JDK (ImageIO) vs libjpeg-turbo (FFM)\n\n");
        out.append(Machine.describe()).append("\n\nload average before ").append(loadBefore).append(", after ")
                .append(loadAfter).append(note.isEmpty() ? "" : "; " + note).append("\n\n")
                .append(set.origin()).append(String.format(", mean %.0f KB; %d passes, one thread, the two decoders"
                        + " interleaved image by image%n%n", set.meanKilobytes(), passes))
                .append("| decoder | wall p50 ms | wall mean ms | CPU mean ms |\n|---|---|---|---|\n");
        for (var row : List.of(java.row("JDK (ImageIO)"), turbo.row("libjpeg-turbo"))) {
            out.append(row).append('\n');
        }
        out.append(String.format("%nlibjpeg-turbo ÷ JDK: wall p50 %.2f×, CPU mean %.2f×%n%n",
                turbo.wall().median() / java.wall().median(), turbo.cpu().mean() / java.cpu().mean()));
        return out.toString();
    }

    /** Wall and thread-CPU milliseconds of each timed decode. */
    private static final class Timing {

        private final List<Double> wall = new ArrayList<>();
        private final List<Double> cpu = new ArrayList<>();

        DecodedImage decode(ImageDecoder decoder, BenchImage image, boolean timed) {
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            DecodedImage decoded = decoder.decode(image.bytes());
            if (timed) {
                wall.add((System.nanoTime() - start) / 1e6);
                cpu.add((THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6);
            }
            return decoded;
        }

        Latencies wall() {
            return new Latencies(wall);
        }

        Latencies cpu() {
            return new Latencies(cpu);
        }

        String row(String name) {
            return String.format("| %s | %.2f | %.2f | %.2f |", name, wall().median(), wall().mean(), cpu().mean());
        }
    }
}
