package io.montage.worker.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The worker process's memory right now, for an evaluation run's cost report: the Java heap in use, and the resident
 * set size, which also counts what the JVM does not manage (PyTorch's native tensors, DJL's buffers). Sampled at the
 * end of each batch; the run reports the peaks of the samples.
 */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    public static long heapUsed() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** VmRSS in bytes; 0 where /proc is not there (not Linux). */
    public static long residentSetSize() {
        try {
            List<String> lines = Files.readAllLines(STATUS);
            for (String line : lines) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
