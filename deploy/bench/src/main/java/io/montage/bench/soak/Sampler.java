package io.montage.bench.soak;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Takes the soak's samples (see {@link Sample}) and writes each as a CSV row at once (flushed). */
final class Sampler implements AutoCloseable {

    private static final double MIB = 1024.0 * 1024.0;

    private final JvmProcess worker;
    private final JvmProcess api;
    private final TableSizes tables;
    private final BufferedWriter csv;
    private final long started = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();

    Sampler(JvmProcess worker, JvmProcess api, TableSizes tables, Path csvFile) throws IOException {
        this.worker = worker;
        this.api = api;
        this.tables = tables;
        this.csv = Files.newBufferedWriter(csvFile, StandardCharsets.UTF_8);
        csv.write(Sample.HEADER + "\n");
    }

    Sample take(String phase, long itemsDone) throws IOException, InterruptedException, SQLException {
        double seconds = (System.nanoTime() - started) / 1e9;
        JvmProcess.Memory w = worker.memory();
        JvmProcess.Memory a = api.memory();
        Map<String, TableSizes.Size> t = tables.read();
        double rate = 0;
        if (!samples.isEmpty()) {
            Sample previous = samples.getLast();
            rate = (itemsDone - previous.itemsDone()) / (seconds - previous.seconds());
        }
        Sample sample = new Sample(seconds, phase, itemsDone, rate, w.rss() / MIB, w.rssOutsideHeap() / MIB,
                w.heapUsed() / MIB, w.heapCommitted() / MIB, w.nmtCommitted() / MIB, a.rss() / MIB,
                a.rssOutsideHeap() / MIB, a.heapUsed() / MIB, a.heapCommitted() / MIB, a.nmtCommitted() / MIB,
                t.get("items").heap(), t.get("items").toast(), t.get("items").indexes(),
                t.get("tasks").heap(), t.get("tasks").toast(), t.get("tasks").indexes(),
                t.get("jobs").heap(), t.get("jobs").toast(), t.get("jobs").indexes());
        samples.add(sample);
        csv.write(sample.csv() + "\n");
        csv.flush();
        return sample;
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
