package io.montage.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the platform's JVMs as the soak sees it from outside: its resident set from {@code /proc/PID/smaps}, split
 * into the Java heap's reservation (its address range from {@code GC.heap_info}) and everything else; its heap from
 * the Micrometer gauges on its Prometheus endpoint ({@code jvm_memory_used_bytes} / {@code
 * jvm_memory_committed_bytes}, area {@code heap}); and {@code VM.native_memory}'s committed total (the JVM must run
 * with {@code -XX:NativeMemoryTracking=summary}). The resident set outside the heap is the native memory that
 * matters for a leak: libtorch's tensors and buffers, which NMT does not see, and the JVM's own native parts.
 * (RSS − heap committed would be wrong whenever G1 commits heap it has not touched yet.)
 */
final class JvmProcess implements AutoCloseable {

    /** Bytes: resident set, of it outside the heap's reservation, heap used and committed, NMT's committed total. */
    record Memory(long rss, long rssOutsideHeap, long heapUsed, long heapCommitted, long nmtCommitted) {
    }

    private static final Pattern HEAP_RANGE = Pattern.compile("\\[0x([0-9a-f]+), 0x([0-9a-f]+)\\)");
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern MAPPING = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) ");

    private final long pid;
    private final URI metrics;
    private final HttpClient http;
    private final Jcmd jcmd;
    private final long heapStart;
    private final long heapEnd;

    JvmProcess(long pid, URI metrics, HttpClient http) throws IOException {
        this.pid = pid;
        this.metrics = metrics;
        this.http = http;
        this.jcmd = new Jcmd(pid);
        Matcher range = find(HEAP_RANGE, jcmd.run("GC.heap_info"), "GC.heap_info");
        heapStart = Long.parseUnsignedLong(range.group(1), 16);
        heapEnd = Long.parseUnsignedLong(range.group(2), 16);
    }

    Memory memory() throws IOException, InterruptedException {
        String exposition = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long nmt = Long.parseLong(find(NMT_TOTAL, jcmd.run("VM.native_memory summary scale=KB"),
                "VM.native_memory (is the JVM started with -XX:NativeMemoryTracking=summary?)").group(2)) * 1024;
        long[] resident = resident();
        return new Memory(resident[0], resident[1], heap(exposition, "jvm_memory_used_bytes{"),
                heap(exposition, "jvm_memory_committed_bytes{"), nmt);
    }

    /** Resident bytes in all and outside the heap's address range, summed over the mappings in smaps. */
    private long[] resident() throws IOException {
        List<String> smaps = Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"));
        long all = 0;
        long outside = 0;
        boolean inHeap = false;
        for (String line : smaps) {
            Matcher mapping = MAPPING.matcher(line);
            if (mapping.find()) {
                long start = Long.parseUnsignedLong(mapping.group(1), 16);
                inHeap = start >= heapStart && start < heapEnd;
            } else if (line.startsWith("Rss:")) {
                long bytes = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                all += bytes;
                outside += inHeap ? 0 : bytes;
            }
        }
        return new long[] {all, outside};
    }

    private static Matcher find(Pattern pattern, String text, String what) throws IOException {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IOException("no " + pattern + " in " + what + ": " + text.lines().limit(3).toList());
        }
        return m;
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
        jcmd.close();
    }
}
