package io.montage.worker.evaluation;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.montage.evaluation.runs.EvalRuns;
import io.montage.worker.node.WorkerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The evaluation runs' finishing step: every montage.worker.evaluation-finish-interval, computes and stores the
 * metrics of runs whose jobs have all ended ({@link EvalRuns#finishEnded}), so a run nobody reads keeps its metrics
 * after its jobs (and their per-entry outcomes) expire. On a thread of its own: the metrics of a large run take
 * seconds and must never delay the lease heartbeats.
 */
@Singleton
final class EvaluationFinisher implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluationFinisher.class);
    /** Runs per pass: each is read and computed in turn, so a backlog drains over a few passes. */
    private static final int BATCH = 20;

    private final EvalRuns runs;
    private final WorkerConfig config;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("montage-eval-finish").factory());

    EvaluationFinisher(EvalRuns runs, WorkerConfig config) {
        this.runs = runs;
        this.config = config;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        long millis = config.evaluationFinishInterval().toMillis();
        thread.scheduleWithFixedDelay(this::finish, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void finish() {
        try { // an exception escaping a scheduled run would cancel every later one
            int finished = runs.finishEnded(BATCH);
            LOG.debug("completed {} evaluation run(s) whose jobs had ended", finished);
        } catch (RuntimeException e) {
            LOG.warn("finishing evaluation runs failed; trying again in {}", config.evaluationFinishInterval(), e);
        }
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
