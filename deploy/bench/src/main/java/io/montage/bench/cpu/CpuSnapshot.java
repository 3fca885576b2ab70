package io.montage.bench.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time each thread of each process set has used so far, from {@code /proc/<pid>/task/<tid>/stat}: user +
 * system, in clock ticks of 10 ms. Keyed by process set, then by thread: JVM threads carry their Java names
 * (first 15 characters), which is what lets the report say whether the worker's CPU went to libtorch, image
 * decoding or task bookkeeping.
 */
record CpuSnapshot(Map<String, Map<Thread, Long>> ticks) {

    /** A thread, by process and id: a thread that is new or gone between two snapshots counts what it was seen using. */
    record Thread(long pid, long tid, String name) {
    }

    static CpuSnapshot take(List<ProcessSet> sets) {
        Map<String, Map<Thread, Long>> ticks = new HashMap<>();
        for (ProcessSet set : sets) {
            Map<Thread, Long> threads = new HashMap<>();
            for (long pid : set.pids().get()) {
                Path tasks = Path.of("/proc", Long.toString(pid), "task");
                try (var entries = Files.list(tasks)) {
                    for (Path task : entries.toList()) {
                        read(pid, task, threads);
                    }
                } catch (IOException e) {
                    // the process ended: it has nothing more to count
                }
            }
            ticks.put(set.label(), threads);
        }
        return new CpuSnapshot(ticks);
    }

    private static void read(long pid, Path task, Map<Thread, Long> into) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            // "tid (comm) state ..." — comm may hold spaces and parentheses, so split after the last ')'
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String[] fields = stat.substring(close + 2).split(" ");
            long utime = Long.parseLong(fields[11]); // stat fields 14 and 15, counted from the state (field 3)
            long stime = Long.parseLong(fields[12]);
            into.put(new Thread(pid, Long.parseLong(task.getFileName().toString()), stat.substring(open + 1, close)),
                    utime + stime);
        } catch (IOException | RuntimeException e) {
            // the thread ended between listing and reading
        }
    }
}
