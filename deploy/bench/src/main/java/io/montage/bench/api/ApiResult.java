package io.montage.bench.api;

import io.montage.bench.Latencies;
import io.montage.bench.cpu.CpuUsage;

/**
 * One scenario's timed phase.
 *
 * @param succeeded  requests answered 200 with one embedding per image
 * @param failed     everything else (the first one is in {@code firstFailure})
 * @param seconds    from the first request sent to the last answer received
 * @param latencyMs  per succeeded request, as the client saw it (send to the last byte of the answer)
 * @param cpu        CPU each part of the platform used in the timed phase (null when not measured)
 */
public record ApiResult(ApiScenario scenario, int succeeded, int failed, double seconds, Latencies latencyMs,
                        String firstFailure, CpuUsage cpu) {

    ApiResult withCpu(CpuUsage usage) {
        return new ApiResult(scenario, succeeded, failed, seconds, latencyMs, firstFailure, usage);
    }

    public int images() {
        return succeeded * scenario.perRequest();
    }

    public double imagesPerSecond() {
        return succeeded * scenario.perRequest() / seconds;
    }
}
