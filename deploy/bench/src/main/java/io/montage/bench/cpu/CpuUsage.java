package io.montage.bench.cpu;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU used between two snapshots, per process set and per thread group (a thread's name with its numbers
 * dropped, so {@code preprocess-1} and {@code preprocess-2} add up), in milliseconds.
 */
public record CpuUsage(Map<String, Double> byProcess, Map<String, Map<String, Double>> byThreadGroup,
                       double machineMs, double idleMs, double stealMs) {

    private static final double MS_PER_TICK = 10; // CLK_TCK is 100 on Linux

    /** Measures what {@code sets} use while {@code work} runs. */
    public static <T> Measured<T> measure(List<ProcessSet> sets, Work<T> work) throws Exception {
        MachineTicks machineBefore = MachineTicks.read();
        CpuSnapshot before = CpuSnapshot.take(sets);
        T result = work.run();
        CpuSnapshot after = CpuSnapshot.take(sets);
        MachineTicks machineAfter = MachineTicks.read();
        CpuUsage usage = between(before, after);
        return new Measured<>(result, new CpuUsage(usage.byProcess(), usage.byThreadGroup(),
                (machineAfter.total() - machineBefore.total()) * MS_PER_TICK,
                (machineAfter.idle() - machineBefore.idle()) * MS_PER_TICK,
                (machineAfter.steal() - machineBefore.steal()) * MS_PER_TICK));
    }

    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    public record Measured<T>(T result, CpuUsage cpu) {
    }

    /** Share of the machine's CPU time (all cores) that was idle / that someone outside the measured set used. */
    public double idleShare() {
        return idleMs / machineMs;
    }

    /** Never below 0: the machine and the processes are read a moment apart, which can leave a sliver negative. */
    public double othersShare() {
        return Math.max(0, (machineMs - idleMs - stealMs - totalMs()) / machineMs);
    }

    public double totalMs() {
        return byProcess.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    static CpuUsage between(CpuSnapshot before, CpuSnapshot after) {
        Map<String, Double> byProcess = new LinkedHashMap<>();
        Map<String, Map<String, Double>> byGroup = new LinkedHashMap<>();
        for (var process : after.ticks().entrySet()) {
            Map<CpuSnapshot.Thread, Long> earlier = before.ticks().getOrDefault(process.getKey(), Map.of());
            Map<String, Double> groups = new TreeMap<>();
            double total = 0;
            for (var thread : process.getValue().entrySet()) {
                double ms = (thread.getValue() - earlier.getOrDefault(thread.getKey(), 0L)) * MS_PER_TICK;
                if (ms > 0) {
                    groups.merge(group(thread.getKey().name()), ms, Double::sum);
                    total += ms;
                }
            }
            byProcess.put(process.getKey(), total);
            byGroup.put(process.getKey(), groups);
        }
        return new CpuUsage(byProcess, byGroup, Double.NaN, Double.NaN, Double.NaN);
    }

    /** {@code preprocess-12} → {@code preprocess-*}; {@code C2 CompilerThre} stays as it is. */
    static String group(String threadName) {
        return threadName.replaceAll("\\d+", "*");
    }
}
