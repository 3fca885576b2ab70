package io.montage.bench.soak;

import java.util.Locale;

/**
 * One sampling moment of the soak, in MiB where it is memory or storage: the worker's and the api's resident set,
 * in all and outside the Java heap ("native": libtorch, the JVM's own parts; see {@link JvmProcess}), heap (used /
 * committed, Micrometer) and NMT total; each queue table's heap, TOAST and index size
 * ({@code pg_relation_size}, the rest of {@code pg_total_relation_size}, {@code pg_indexes_size}); items finished
 * so far (succeeded + failed) and the rate since the previous sample. One CSV row each, so a run cut short still
 * leaves its data behind.
 */
record Sample(double seconds, String phase, long itemsDone, double itemsPerSecond,
              double workerRss, double workerNative, double workerHeapUsed, double workerHeapCommitted,
              double workerNmt, double apiRss, double apiNative, double apiHeapUsed, double apiHeapCommitted,
              double apiNmt,
              double itemsHeap, double itemsToast, double itemsIndexes,
              double tasksHeap, double tasksToast, double tasksIndexes,
              double jobsHeap, double jobsToast, double jobsIndexes) {

    static final String HEADER = "seconds,phase,items_done,items_per_s,"
            + "worker_rss_mib,worker_rss_outside_heap_mib,worker_heap_used_mib,worker_heap_committed_mib,"
            + "worker_nmt_committed_mib,api_rss_mib,api_rss_outside_heap_mib,api_heap_used_mib,api_heap_committed_mib,"
            + "api_nmt_committed_mib,"
            + "items_heap_mib,items_toast_mib,items_indexes_mib,tasks_heap_mib,tasks_toast_mib,tasks_indexes_mib,"
            + "jobs_heap_mib,jobs_toast_mib,jobs_indexes_mib";

    /** What NMT counts outside the heap: metaspace, code, threads, GC, the JVM's mallocs (not libtorch's). */
    double workerNmtNonHeap() {
        return workerNmt - workerHeapCommitted;
    }

    String csv() {
        return String.format(Locale.ROOT, "%.1f,%s,%d,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,"
                        + "%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f", seconds, phase, itemsDone, itemsPerSecond,
                workerRss, workerNative, workerHeapUsed, workerHeapCommitted, workerNmt, apiRss, apiNative,
                apiHeapUsed, apiHeapCommitted, apiNmt, itemsHeap, itemsToast, itemsIndexes, tasksHeap, tasksToast, tasksIndexes, jobsHeap,
                jobsToast, jobsIndexes);
    }

    static Sample parse(String row) {
        String[] f = row.split(",");
        if (f.length != HEADER.split(",").length) {
            throw new IllegalArgumentException("not a soak CSV row: " + row);
        }
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = i == 1 ? 0 : Double.parseDouble(f[i]);
        }
        return new Sample(d[0], f[1], (long) d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12],
                d[13], d[14], d[15], d[16], d[17], d[18], d[19], d[20], d[21], d[22]);
    }
}
