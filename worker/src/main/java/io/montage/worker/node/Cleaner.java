package io.montage.worker.node;

import io.montage.jobs.JobRetention;
import io.montage.workers.Throughput;
import io.montage.workers.WorkerRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what outlived its retention: finished jobs past their expiry, throughput minutes older than
 * montage.worker.throughput-retention, and the rows of workers stopped or lost longer than montage.worker.retention. Every worker runs it every montage.worker.clean-interval; both deletions are
 * safe on many nodes at once.
 */
@Singleton
final class Cleaner {

    private static final Logger LOG = LoggerFactory.getLogger(Cleaner.class);

    private final WorkerConfig config;
    private final JobRetention jobs;
    private final Throughput throughput;
    private final WorkerRegistry workers;

    Cleaner(WorkerConfig config, JobRetention jobs, Throughput throughput, WorkerRegistry workers) {
        this.config = config;
        this.jobs = jobs;
        this.throughput = throughput;
        this.workers = workers;
    }

    void clean() {
        int deleted = jobs.deleteExpired(config.reapBatch());
        if (deleted > 0) {
            LOG.info("deleted {} job(s) past their retention", deleted);
        }
        int minutes = throughput.deleteOlderThan(config.throughputRetention());
        LOG.debug("deleted {} throughput row(s) older than {}", minutes, config.throughputRetention());
        int ended = workers.deleteEndedBefore(config.retention());
        LOG.debug("deleted {} row(s) of workers stopped or lost over {} ago", ended, config.retention());
    }
}
