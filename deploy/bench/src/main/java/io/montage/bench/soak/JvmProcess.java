package io.montage.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One of the platform's JVMs as the soak sees it from outside: its resident set from {@code /proc/PID/status}, its
 * heap from the Micrometer gauges on its Prometheus endpoint ({@code jvm_memory_used_bytes} /
 * {@code jvm_memory_committed_bytes}, area {@code heap}), and NMT's committed total.
 */
final class JvmProcess implements AutoCloseable {

    /** Bytes: resident set, heap used and committed, NMT's committed total. */
    record Memory(long rss, long heapUsed, long heapCommitted, long nmtCommitted) {
    }

    private final long pid;
    private final URI metrics;
    private final HttpClient http;
    private final NativeMemoryTracking nmt;

    JvmProcess(long pid, URI metrics, HttpClient http) throws IOException {
        this.pid = pid;
        this.metrics = metrics;
        this.http = http;
        this.nmt = new NativeMemoryTracking(pid);
    }

    Memory memory() throws IOException, InterruptedException {
        String exposition = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new Memory(rss(), heap(exposition, "jvm_memory_used_bytes{"),
                heap(exposition, "jvm_memory_committed_bytes{"), nmt.committed().total());
    }

    private long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    /** The sum over the heap's pools of one gauge ({@code name} with its opening brace). */
    private long heap(String exposition, String name) throws IOException {
        double sum = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name) && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        if (!found) {
            throw new IOException("no " + name + "area=\"heap\"…} at " + metrics);
        }
        return (long) sum;
    }

    @Override
    public void close() throws IOException {
        nmt.close();
    }
}
