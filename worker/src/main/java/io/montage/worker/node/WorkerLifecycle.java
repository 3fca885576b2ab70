package io.montage.worker.node;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.TaskLeases;
import io.montage.jobs.QueueChannels;
import io.montage.jobs.TaskAnnouncement;
import io.montage.jobs.QueueConfig;
import io.montage.models.ModelRegistry;
import io.montage.worker.tasks.ServedModels;
import io.montage.notify.Notifications;
import io.montage.workers.WorkerNode;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts this worker once the context has started (not while its beans are still being created: the schema may not
 * be migrated yet) and drains it when the context closes. Running, it claims tasks (woken by NOTIFY on
 * {@link QueueChannels#TASKS}), heartbeats itself and its leases, and takes back expired leases of any worker.
 * Closing, it stops claiming, lets running tasks finish for up to the drain timeout, and hands the rest back to the
 * queue without counting the attempt.
 */
@Singleton
final class WorkerLifecycle implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerLifecycle.class);

    private final WorkerConfig config;
    private final QueueConfig queueConfig;
    private final TaskLeases queue;
    private final Notifications notifications;
    private final WorkerIdentity identity;
    private final NodeRegistration registration;
    private final TaskHandlers handlers;
    private final InFlightTasks inFlight;
    private final ClaimLoop claimLoop;
    private final TaskRunner runner;
    private final LeaseKeeper leaseKeeper;
    private final WakeUpSignal wakeUp;
    private final ServedModels servedModels;
    private final Reaper reaper;
    private final Cleaner cleaner;
    // Heartbeats go on while the worker drains: the tasks it waits for must keep their leases.
    private final ScheduledExecutorService scheduler =
            Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("montage-lease-", 1).factory());
    // Loading a model takes seconds: on its own thread, so heartbeats never wait for it.
    private final ScheduledExecutorService modelRefresher =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("montage-models").factory());
    private boolean running; // guarded by this: started and not yet stopped

    WorkerLifecycle(WorkerConfig config, QueueConfig queueConfig, TaskLeases queue, Notifications notifications,
                    WorkerIdentity identity, NodeRegistration registration, TaskHandlers handlers,
                    InFlightTasks inFlight, ClaimLoop claimLoop, TaskRunner runner, LeaseKeeper leaseKeeper,
                    WakeUpSignal wakeUp, ServedModels servedModels, Reaper reaper, Cleaner cleaner) {
        this.config = config;
        this.queueConfig = queueConfig;
        this.queue = queue;
        this.notifications = notifications;
        this.identity = identity;
        this.registration = registration;
        this.handlers = handlers;
        this.inFlight = inFlight;
        this.claimLoop = claimLoop;
        this.runner = runner;
        this.leaseKeeper = leaseKeeper;
        this.wakeUp = wakeUp;
        this.servedModels = servedModels;
        this.reaper = reaper;
        this.cleaner = cleaner;
    }

    @Override
    public synchronized void onApplicationEvent(StartupEvent event) {
        config.requireHeartbeatWellWithin(queueConfig.leaseDuration());
        servedModels.refresh();
        registration.register(servedModels.device(), capabilities());
        notifications.subscribe(QueueChannels.TASKS, this::announced);
        claimLoop.start();
        every(config.heartbeatInterval(), "heartbeat", () -> {
            registration.heartbeat();
            leaseKeeper.extendAll();
        });
        every(config.reapInterval(), "taking back expired leases", reaper::reap);
        every(config.cleanInterval(), "deleting what is past its retention", cleaner::clean);
        notifications.subscribe(ModelRegistry.CHANNEL, modelId -> modelRefresher.execute(this::refreshModels));
        long refreshMillis = config.modelRefreshInterval().toMillis();
        modelRefresher.scheduleWithFixedDelay(this::refreshModels, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
        running = true;
        LOG.info("worker {} serving types {} with concurrency {} (+{} for interactive tasks)", identity.id(),
                handlers.types(), config.concurrency(), config.interactiveConcurrency());
    }

    /**
     * A {@link QueueChannels#TASKS} notification: wakes the claim loop unless this worker serves neither the type nor
     * the model. A null payload (notifications may have been missed) or one it cannot read: looks at the queue anyway.
     */
    private void announced(String payload) {
        TaskAnnouncement announced = payload == null ? null : TaskAnnouncement.parse(payload);
        if (announced == null) {
            wakeUp.announce();
        } else if (handlers.serves(announced.type())
                && (announced.modelId() == null || servedModels.ids().contains(announced.modelId()))) {
            if (announced.interactive()) {
                wakeUp.announceInteractive();
            } else {
                wakeUp.announce();
            }
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (!running) {
            return; // never started, or already stopped: closing a context twice must not drain twice
        }
        running = false;
        boolean interrupted = false;
        try {
            drain();
        } catch (InterruptedException e) {
            interrupted = true; // whoever closes the context will not wait: hand back what runs right away
        }
        releaseUnfinished();
        scheduler.shutdown();
        modelRefresher.shutdownNow();
        runner.shutdown();
        bestEffort("reporting the last finished items", registration::heartbeat);
        bestEffort("marking the worker stopped", registration::stopped);
        LOG.info("worker {} stopped", identity.id());
        if (interrupted) {
            Thread.currentThread().interrupt(); // restored only now, so the writes above could still get connections
        }
    }

    /** Stops claiming, then waits up to the drain timeout for the running tasks to finish. */
    private void drain() throws InterruptedException {
        claimLoop.stop(config.drainTimeout());
        bestEffort("marking the worker draining", registration::draining);
        int busy = inFlight.size();
        if (busy > 0) {
            LOG.info("worker {} draining: waiting up to {} for {} task(s)", identity.id(), config.drainTimeout(),
                    busy);
            inFlight.awaitEmpty(config.drainTimeout());
        }
    }

    /** Hands every task still running back to the queue; its attempt does not count. */
    private void releaseUnfinished() {
        for (InFlightTask unfinished : inFlight.snapshot()) {
            if (unfinished.stop()) {
                ClaimedTask task = unfinished.task();
                bestEffort("handing back task " + task.id(), () -> {
                    queue.release(task);
                    LOG.info("handed task {} back to the queue", task.id());
                });
            }
        }
    }

    /** Loads newly ready models, unloads retired ones, and tells the registry what this worker now serves. */
    private void refreshModels() {
        try {
            if (servedModels.refresh()) {
                registration.capabilities(capabilities());
                wakeUp.announce(); // tasks for a newly loaded model may be waiting
            }
        } catch (RuntimeException e) {
            LOG.warn("refreshing the served models failed", e);
        }
    }

    /** The task types this worker runs and the models it has loaded, as the workers table records them. */
    private List<String> capabilities() {
        List<String> capabilities = new ArrayList<>(handlers.types());
        servedModels.ids().forEach(id -> capabilities.add(WorkerNode.modelCapability(id)));
        return capabilities;
    }

    /** Runs {@code work} every {@code interval}; a failed run is logged and the next one comes as planned. */
    private void every(Duration interval, String what, Runnable work) {
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            // an exception escaping a scheduled run would silently cancel every later run
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.warn("{} failed; trying again in {}", what, interval, e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Shutdown goes on whatever fails: a worker that cannot say it stopped must still stop. */
    private static void bestEffort(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed", what, e);
        }
    }
}
