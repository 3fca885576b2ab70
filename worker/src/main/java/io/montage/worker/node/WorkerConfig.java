package io.montage.worker.node;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * Worker tuning (montage.worker.*).
 *
 * @param concurrency       how many tasks of any priority this worker runs at once
 * @param pollInterval      how long the claim loop sleeps when nothing wakes it; a fallback, because a NOTIFY can
 *                          be missed (e.g. while the listener reconnects) and a retry whose backoff is over is
 *                          announced by none
 * @param heartbeatInterval how often the leases of running tasks are extended; must be well under
 *                          montage.queue.lease-duration so one slow heartbeat does not cost a lease
 * @param reapInterval      how often this worker takes back tasks whose lease expired (every worker does it)
 * @param drainTimeout      how long shutdown waits for running tasks before handing them back to the queue
 * @param reapBatch         how many expired tasks one reaping takes back
 * @param types             the task types to serve; empty (the default) serves every handler on the classpath
 * @param cleanInterval     how often this worker deletes jobs past their retention (every worker does it)
 * @param modelRefreshInterval how often the loaded models are compared with the registry (a NOTIFY on a model's
 *                          status change triggers it at once; this is the fallback)
 * @param interactiveConcurrency slots on top of {@code concurrency} that only interactive tasks (synchronous
 *                          requests, priority ≥ {@link io.montage.jobs.Priority#INTERACTIVE}) may take, so a
 *                          waiting caller never waits for a bulk task to finish; 0 reserves none
 * @param throughputRetention how long the per-minute counts of finished items are kept (the dashboard draws the
 *                          last hour; the rest is there for an operator's own queries)
 * @param evaluationFinishInterval how often this worker computes the metrics of evaluation runs whose jobs have
 *                          all ended (every worker does it; a run's metrics are computed once)
 * @param lostAfter         a worker whose heartbeat is older than this is marked {@code lost} in the workers table by
 *                          whichever worker reaps next (the api's worker-freshness window, by default)
 * @param retention         how long the rows of stopped and lost workers are kept (the cleaner deletes older ones)
 */
@ConfigurationProperties("montage.worker")
public record WorkerConfig(
        @Bindable(defaultValue = "4") int concurrency,
        @Bindable(defaultValue = "2s") Duration pollInterval,
        @Bindable(defaultValue = "10s") Duration heartbeatInterval,
        @Bindable(defaultValue = "15s") Duration reapInterval,
        @Bindable(defaultValue = "30s") Duration drainTimeout,
        @Bindable(defaultValue = "100") int reapBatch,
        @Nullable List<String> types,
        @Bindable(defaultValue = "30s") Duration modelRefreshInterval,
        @Bindable(defaultValue = "10m") Duration cleanInterval,
        @Bindable(defaultValue = "2") int interactiveConcurrency,
        @Bindable(defaultValue = "1d") Duration throughputRetention,
        @Bindable(defaultValue = "5s") Duration evaluationFinishInterval,
        @Bindable(defaultValue = "30s") Duration lostAfter,
        @Bindable(defaultValue = "7d") Duration retention) {

    /** Heartbeats per lease at the least: a late heartbeat or two must not cost a running task its lease. */
    private static final int MIN_HEARTBEATS_PER_LEASE = 3;

    public WorkerConfig {
        if (concurrency < 1) {
            throw new IllegalArgumentException("montage.worker.concurrency must be at least 1, not " + concurrency);
        }
        if (interactiveConcurrency < 0) {
            throw new IllegalArgumentException("montage.worker.interactive-concurrency must be at least 0, not "
                    + interactiveConcurrency);
        }
        types = types == null ? List.of() : List.copyOf(types);
        if (lostAfter.compareTo(heartbeatInterval.multipliedBy(MIN_HEARTBEATS_PER_LEASE)) < 0) {
            throw new IllegalArgumentException("montage.worker.lost-after (" + lostAfter + ") must be at least three "
                    + "heartbeat intervals (" + heartbeatInterval + "): a late heartbeat is no lost worker");
        }
    }

    /** How many tasks this worker may run at once, counting both kinds of slot. */
    int slots() {
        return concurrency + interactiveConcurrency;
    }

    void requireHeartbeatWellWithin(Duration leaseDuration) {
        if (heartbeatInterval.multipliedBy(MIN_HEARTBEATS_PER_LEASE).compareTo(leaseDuration) > 0) {
            throw new IllegalStateException("montage.worker.heartbeat-interval (" + heartbeatInterval
                    + ") must be at most a third of montage.queue.lease-duration (" + leaseDuration + ")");
        }
    }
}
