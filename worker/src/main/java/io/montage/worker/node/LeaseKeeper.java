package io.montage.worker.node;

import io.montage.jobs.ClaimedTask;
import io.montage.jobs.TaskLeases;
import io.montage.jobs.LeaseLostException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extends the leases of the tasks this worker holds, and acts on the answer: a task whose job was cancelled is
 * stopped and abandoned (its pending items are cancelled); a task whose lease is gone is stopped and dropped.
 */
@Singleton
final class LeaseKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final TaskLeases queue;
    private final InFlightTasks inFlight;
    private final LeaseRefusals refusals;

    LeaseKeeper(TaskLeases queue, InFlightTasks inFlight, LeaseRefusals refusals) {
        this.queue = queue;
        this.inFlight = inFlight;
        this.refusals = refusals;
    }

    void extendAll() {
        for (InFlightTask task : inFlight.snapshot()) {
            extend(task);
        }
    }

    private void extend(InFlightTask inFlightTask) {
        ClaimedTask task = inFlightTask.task();
        switch (queue.heartbeat(task)) {
            case EXTENDED -> {
            }
            case CANCEL_REQUESTED -> {
                if (inFlightTask.stop()) {
                    LOG.info("task {}: its job was cancelled; stopping it", task.id());
                    abandon(task);
                }
            }
            case LOST -> {
                refusals.count(LeaseRefusals.Write.HEARTBEAT);
                if (inFlightTask.stop()) {
                    LOG.warn("task {}: the lease is gone (expired and taken back); dropping the task", task.id());
                }
            }
        }
    }

    private void abandon(ClaimedTask task) {
        try {
            queue.abandon(task);
        } catch (LeaseLostException e) {
            refusals.count(LeaseRefusals.Write.ABANDON);
            LOG.warn("task {}: {}; nothing to abandon", task.id(), e.getMessage());
        }
    }
}
