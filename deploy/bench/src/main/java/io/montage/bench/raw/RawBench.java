package io.montage.bench.raw;

import io.montage.worker.inference.TowerTranslator;
import ai.djl.translate.TranslateException;
import io.montage.bench.Latencies;
import io.montage.bench.cpu.CpuUsage;
import io.montage.bench.cpu.ProcessSet;

import java.util.ArrayList;
import java.util.List;

/**
 * The model's own speed: one thread calling predict on ready tensors in a tight loop, nothing else. Rounds are
 * timed separately and the median reported, because this machine is shared and a neighbour's burst should cost
 * one round, not the result.
 */
public final class RawBench {

    /** The first calls at a new shape are slow (TorchScript profiles, then optimises): never time them. */
    private static final int MIN_WARMUP_BATCHES = 3;
    /** Distinct inputs cycled through, so the same tensor is not fed back every time. */
    private static final int DISTINCT_BATCHES = 4;

    private static final ProcessSet SELF = ProcessSet.pid("raw", ProcessHandle.current().pid());

    private final ClipTowers tower;
    private final List<float[]> pixels;
    private final int rounds;
    private final double roundSeconds;

    public RawBench(ClipTowers tower, List<float[]> pixels, int rounds, double roundSeconds) {
        this.tower = tower;
        this.pixels = pixels;
        this.rounds = rounds;
        this.roundSeconds = roundSeconds;
    }

    public RawResult run(int batch) throws Exception {
        List<TowerTranslator.Pixels> inputs = new ArrayList<>();
        for (int b = 0, next = 0; b < DISTINCT_BATCHES; b++) {
            List<float[]> rows = new ArrayList<>(batch);
            for (int r = 0; r < batch; r++, next++) {
                rows.add(pixels.get(next % pixels.size()));
            }
            inputs.add(tower.pack(rows));
        }
        long warmupEnd = System.nanoTime() + (long) (roundSeconds * 1e9);
        for (int i = 0; i < MIN_WARMUP_BATCHES || System.nanoTime() < warmupEnd; i++) {
            tower.embed(inputs.get(i % inputs.size()));
        }
        // CPU of this whole process (libtorch's OpenMP threads included) while timed: compared with the worker's
        // inference threads, it shows what the platform adds per image (padding, spinning, contention).
        CpuUsage.Measured<RawResult> timed = CpuUsage.measure(List.of(SELF), () -> timedRounds(batch, inputs));
        return timed.result().withCpu(timed.cpu());
    }

    private RawResult timedRounds(int batch, List<TowerTranslator.Pixels> inputs) throws TranslateException {
        List<Double> rates = new ArrayList<>();
        List<Double> batchMs = new ArrayList<>();
        int call = 0;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            long end = start + (long) (roundSeconds * 1e9);
            int images = 0;
            long now = start;
            do { // at least one batch per round, however slow
                long before = now;
                tower.embed(inputs.get(call++ % inputs.size()));
                now = System.nanoTime();
                batchMs.add((now - before) / 1e6);
                images += batch;
            } while (now < end);
            rates.add(images / ((now - start) / 1e9));
        }
        return new RawResult(batch, new Latencies(rates), new Latencies(batchMs), null);
    }
}
