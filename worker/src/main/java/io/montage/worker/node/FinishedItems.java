package io.montage.worker.node;

import io.montage.jobs.ItemCounts;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Items this worker finished (succeeded or failed) since it last reported them: its next heartbeat adds them to the
 * throughput the dashboard draws. Counting here, in memory, keeps the report off the path of each task.
 */
@Singleton
final class FinishedItems {

    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    void add(ItemCounts ended) {
        succeeded.addAndGet(ended.succeeded());
        failed.addAndGet(ended.failed());
    }

    /** Hands {@code report} what was added since the last report; if the report fails, the next one carries it. */
    void report(Consumer<ItemCounts> report) {
        ItemCounts taken = new ItemCounts(succeeded.getAndSet(0), failed.getAndSet(0), 0);
        try {
            report.accept(taken);
        } catch (RuntimeException e) {
            add(taken);
            throw e;
        }
    }
}
