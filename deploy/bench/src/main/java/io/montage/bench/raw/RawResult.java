package io.montage.bench.raw;

import io.montage.bench.Latencies;
import io.montage.bench.cpu.CpuUsage;

/**
 * The raw tower at one batch size.
 *
 * @param batch       images per forward pass
 * @param roundRates  images/s of each timed round (the report shows the median and the range)
 * @param batchMs     wall time of every timed forward pass (input array to embeddings back in Java)
 * @param cpu         CPU time of the bench process, and the machine's, over all timed rounds (null: not measured)
 */
public record RawResult(int batch, Latencies roundRates, Latencies batchMs, CpuUsage cpu) {

    RawResult withCpu(CpuUsage usage) {
        return new RawResult(batch, roundRates, batchMs, usage);
    }

    public double cpuMsPerImage() {
        return cpu == null ? Double.NaN : cpu.totalMs() / (batchMs.count() * (double) batch);
    }

    public double imagesPerSecond() {
        return roundRates.median();
    }
}
