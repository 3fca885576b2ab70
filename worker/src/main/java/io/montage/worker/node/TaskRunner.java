package io.montage.worker.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskLeases;
import io.montage.jobs.LeaseLostException;
import io.montage.worker.tasks.TaskFailure;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs claimed tasks on a fixed pool of one thread per slot (montage.worker.concurrency plus
 * interactive-concurrency; the claim loop never claims more) and records how each one ended:
 * completed with its items' outcomes, or failed: retried when the failure passes by itself, failed for good when
 * no retry can fix it ({@link TaskFailure}).
 */
@Singleton
final class TaskRunner {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    static final String TASK_DURATION = "montage.worker.tasks";
    /** The MDC key of a task's log lines (both log formats show the MDC). */
    static final String TASK_ID = "task_id";
    /** The MDC key of the submitting request's X-Request-Id (absent for work of no request). */
    static final String REQUEST_ID = "request_id";

    private final TaskLeases queue;
    private final TaskHandlers handlers;
    private final ContractReader contracts;
    private final InFlightTasks inFlight;
    private final WakeUpSignal wakeUp;
    private final FinishedItems finished;
    private final ExecutorService pool;
    private final MeterRegistry metrics;
    private final LeaseRefusals refusals;

    TaskRunner(WorkerConfig config, TaskLeases queue, TaskHandlers handlers, ContractReader contracts,
               InFlightTasks inFlight, WakeUpSignal wakeUp, FinishedItems finished, MeterRegistry metrics,
               LeaseRefusals refusals) {
        this.metrics = metrics;
        this.refusals = refusals;
        this.queue = queue;
        this.handlers = handlers;
        this.contracts = contracts;
        this.inFlight = inFlight;
        this.wakeUp = wakeUp;
        this.finished = finished;
        // Daemon threads: a handler that ignores interrupts must not keep a stopped worker's JVM alive.
        this.pool = Executors.newFixedThreadPool(config.slots(),
                Thread.ofPlatform().daemon().name("montage-task-", 1).factory());
    }

    /** Runs {@code task}, which must already be in the in-flight set, on a pool thread. */
    void submit(InFlightTask task) {
        pool.execute(() -> run(task));
    }

    /** Lets the pool threads end once their current task is over. */
    void shutdown() {
        pool.shutdown();
    }

    private void run(InFlightTask task) {
        try {
            if (task.attach(Thread.currentThread())) {
                execute(task);
            }
        } finally {
            task.detach();
            inFlight.remove(task);
            wakeUp.signal(); // a slot is free: claim now rather than at the next poll
        }
    }

    private void execute(InFlightTask inFlightTask) {
        ClaimedTask task = inFlightTask.task();
        try (MDC.MDCCloseable ignored = MDC.putCloseable(TASK_ID, Long.toString(task.id()));
             MDC.MDCCloseable alsoIgnored = MDC.putCloseable(REQUEST_ID, task.requestId())) {
            execute(inFlightTask, task);
        }
    }

    private void execute(InFlightTask inFlightTask, ClaimedTask task) {
        List<ItemOutcome> outcomes;
        Timer.Sample started = Timer.start(metrics);
        try {
            outcomes = contracts.run(handlers.forType(task.type()), task, queue.items(task));
            started.stop(duration(task, "succeeded"));
        } catch (Exception e) {
            started.stop(duration(task, "failed"));
            TaskFailure failure = TaskFailure.of(e, task.id());
            recordEnd(inFlightTask, LeaseRefusals.Write.FAILURE, () -> {
                // the full detail stays here, under the task id that the tenant's message names
                LOG.warn("task {} ({}) failed attempt {} of {}: {} ({})", task.id(), task.type(), task.attempt(),
                        task.maxAttempts(), failure.code(), failure.retryable() ? "retryable" : "not retryable", e);
                finished.add(queue.fail(task, failure.code(), failure.message(), failure.retryable()));
            });
            return;
        }
        recordEnd(inFlightTask, LeaseRefusals.Write.COMPLETION, () -> {
            finished.add(queue.complete(task, outcomes));
            LOG.debug("task {} ({}) completed {} item(s)", task.id(), task.type(), outcomes.size());
        });
    }

    /** The task's run time (the handler's work, without recording its end), by type and outcome. */
    private Timer duration(ClaimedTask task, String outcome) {
        return Timer.builder(TASK_DURATION).description("Time a task's handler ran, by task type and outcome")
                .tag("type", task.type()).tag("outcome", outcome).register(metrics);
    }

    /**
     * Writes the task's end unless the node stopped the task first: then the node has recorded the end itself
     * (abandon, release) or there is nothing to record (the lease is gone), and whatever the handler did is dropped.
     * A write the queue refuses for a lost lease (a zombie's, after a stall or a partition) is counted as {@code write}.
     */
    private void recordEnd(InFlightTask inFlightTask, LeaseRefusals.Write write, Runnable end) {
        long id = inFlightTask.task().id();
        if (!inFlightTask.settle()) {
            LOG.debug("task {} was stopped by the worker; the handler's result is dropped", id);
            return;
        }
        try {
            end.run();
        } catch (LeaseLostException e) {
            refusals.count(write);
            LOG.warn("task {}: {}; its result is dropped", id, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("could not record the end of task {}; it runs again once its lease expires", id, e);
        }
    }
}
