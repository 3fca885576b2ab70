package io.montage.worker.node;

import io.montage.jobs.TaskLeases;
import io.montage.workers.WorkerRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes back what dead or silent workers held, every montage.worker.reap-interval, on every worker (there is no
 * coordinator): tasks whose lease expired go back to the queue, and workers whose heartbeat is older than
 * montage.worker.lost-after are marked lost, so that the workers table says what is alive.
 */
@Singleton
final class Reaper {

    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);

    private final WorkerConfig config;
    private final TaskLeases queue;
    private final WorkerRegistry workers;
    private final FinishedItems finished;
    private final WakeUpSignal wakeUp;

    Reaper(WorkerConfig config, TaskLeases queue, WorkerRegistry workers, FinishedItems finished, WakeUpSignal wakeUp) {
        this.config = config;
        this.queue = queue;
        this.workers = workers;
        this.finished = finished;
        this.wakeUp = wakeUp;
    }

    void reap() {
        TaskLeases.Reaped reaped = queue.reapExpiredLeases(config.reapBatch());
        finished.add(reaped.items()); // items whose last attempt ran out failed now, on this worker's watch
        if (reaped.tasks() > 0) {
            LOG.info("took back {} task(s) whose lease expired", reaped.tasks());
            wakeUp.announce(); // claimable again, and no notification says so
        }
        int lost = workers.markLost(config.lostAfter());
        if (lost > 0) {
            LOG.warn("marked {} worker(s) lost: no heartbeat for over {}", lost, config.lostAfter());
        }
    }
}
