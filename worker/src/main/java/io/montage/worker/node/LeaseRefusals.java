package io.montage.worker.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.Locale;

/**
 * Counts this worker's writes that the queue refused because the task's lease was no longer this worker's (its
 * lease token was gone: the lease expired and was taken back, maybe claimed by another worker). Each one is a
 * zombie's late write fenced off, after a stall or a network partition: the task's result is dropped, and the
 * worker that holds the lease now writes it. Seen as {@code montage_worker_lease_refusals_total{write=…}}.
 */
@Singleton
final class LeaseRefusals {

    static final String NAME = "montage.worker.lease.refusals";

    /** What the worker tried to write under a lease it no longer held. */
    enum Write {
        HEARTBEAT, COMPLETION, FAILURE, ABANDON;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry metrics;

    LeaseRefusals(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    void count(Write write) {
        Counter.builder(NAME).description("Writes refused because the task's lease was no longer this worker's")
                .tag("write", write.label()).register(metrics).increment();
    }
}
