package io.montage.worker.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.TaskLeases;
import io.montage.jobs.Priority;
import io.montage.worker.tasks.ServedModels;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Claims as many tasks as there are free slots and hands them to the runner: interactive tasks for the slots
 * reserved for them, tasks of any priority (highest first) for the others. When there is nothing to claim (or no
 * free slot) it sleeps until woken by a notification, a freed slot or the poll interval: it never spins. Which
 * claims a wake-up makes is {@link ClaimRounds}': none for a freed slot alone after the queue came back empty, the
 * interactive claim alone for an announcement of interactive work once the general claim found nothing.
 */
@Singleton
final class ClaimLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimLoop.class);
    /** After a failed claim (the database is unreachable, say): long enough not to flood the log. */
    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);
    static final String CLAIMS = "montage.worker.claims";

    private final WorkerConfig config;
    private final TaskLeases queue;
    private final WorkerIdentity identity;
    private final TaskHandlers handlers;
    private final InFlightTasks inFlight;
    private final TaskRunner runner;
    private final WakeUpSignal wakeUp;
    private final ServedModels servedModels;
    private final ClaimRounds rounds;
    private final MeterRegistry metrics;
    private volatile boolean claiming;
    private Thread thread; // guarded by this

    ClaimLoop(WorkerConfig config, TaskLeases queue, WorkerIdentity identity, TaskHandlers handlers,
              InFlightTasks inFlight, TaskRunner runner, WakeUpSignal wakeUp, ServedModels servedModels,
              MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
        this.queue = queue;
        this.identity = identity;
        this.handlers = handlers;
        this.inFlight = inFlight;
        this.runner = runner;
        this.wakeUp = wakeUp;
        this.servedModels = servedModels;
        this.rounds = new ClaimRounds(config.pollInterval().toNanos(), System.nanoTime());
    }

    synchronized void start() {
        claiming = true;
        thread = Thread.ofPlatform().daemon().name("montage-claim").start(this::claimUntilStopped);
    }

    /**
     * Stops claiming. Waits up to {@code timeout} for a claim under way to reach the in-flight set, so that
     * whoever drains the worker afterwards sees every task it holds.
     */
    synchronized void stop(Duration timeout) throws InterruptedException {
        claiming = false;
        wakeUp.signal();
        if (!thread.join(timeout)) {
            LOG.warn("the claim loop did not stop within {}", timeout);
        }
    }

    private void claimUntilStopped() {
        try {
            while (claiming) {
                try {
                    if (!fillFreeSlots()) {
                        wakeUp.await(config.pollInterval());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("claiming tasks failed; trying again in {}", ERROR_BACKOFF, e);
                    Thread.sleep(ERROR_BACKOFF);
                }
            }
        } catch (InterruptedException e) {
            // stop() signals rather than interrupts, so only something outside the worker gets here: stop claiming
        }
    }

    /**
     * Claims for every free slot; true when each got a task (so there may be more to claim right away). Nothing while
     * a suspect runs: a task whose worker died running it runs alone, so that if it kills this worker too, the crash
     * is charged to it and not to neighbours (the queue splits a task that keeps crashing until a poison item is
     * alone, and fails that item: the bisection is only right if crashes are charged to the guilty).
     */
    private boolean fillFreeSlots() {
        if (inFlight.holdsSuspect()) {
            return false;
        }
        int freeInteractive = config.interactiveConcurrency() - inFlight.size(Slot.INTERACTIVE);
        int freeGeneral = config.concurrency() - inFlight.size(Slot.GENERAL);
        if (freeInteractive + freeGeneral == 0) {
            return false;
        }
        long announced = wakeUp.announcements();
        long generalAnnounced = wakeUp.generalAnnouncements();
        long now = System.nanoTime();
        if (!rounds.due(announced, now)) {
            return false; // only a slot freed since the queue came back empty
        }
        int interactive = claim(Slot.INTERACTIVE, Priority.INTERACTIVE, freeInteractive);
        boolean generalDue = rounds.generalDue(generalAnnounced, freeInteractive > 0 && interactive < freeInteractive,
                now);
        int general = generalDue ? claim(Slot.GENERAL, Priority.ANY, freeGeneral) : 0;
        rounds.done(announced, generalAnnounced, now, generalDue, general < freeGeneral);
        return interactive + general == freeInteractive + freeGeneral;
    }

    /**
     * Claims up to {@code free} tasks and starts them. Suspects come only to a worker that holds nothing; if the claim
     * brings one, it starts alone and the rest of the claim is handed back at once (keeping its place in line).
     */
    private int claim(Slot slot, int minPriority, int free) {
        if (inFlight.holdsSuspect()) {
            return 0; // the interactive claim just took one: the general claim takes nothing beside it
        }
        boolean idle = inFlight.size() == 0;
        List<ClaimedTask> claimed = timed(() -> queue.claim(identity.id(), handlers.types(), servedModels.ids(),
                minPriority, free, idle));
        ClaimedTask suspect = claimed.stream().filter(ClaimedTask::suspect).findFirst().orElse(null);
        int started = 0;
        for (ClaimedTask task : claimed) {
            if (suspect != null && task != suspect) {
                queue.release(task);
                continue;
            }
            InFlightTask inFlightTask = new InFlightTask(task, slot);
            inFlight.add(inFlightTask);
            runner.submit(inFlightTask);
            started++;
        }
        return started;
    }

    /**
     * Runs one claim and records its round trip by result ({@code claimed}, {@code empty}, {@code error}) with a
     * histogram, so that claim latency percentiles can be read from the scrape (the scale-out runs, docs/operations.md).
     */
    private List<ClaimedTask> timed(Supplier<List<ClaimedTask>> claim) {
        Timer.Sample started = Timer.start(metrics);
        String result = "error";
        try {
            List<ClaimedTask> claimed = claim.get();
            result = claimed.isEmpty() ? "empty" : "claimed";
            return claimed;
        } finally {
            started.stop(Timer.builder(CLAIMS).description("One claim's round trip to the queue, by its result")
                    .tag("result", result).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(10))
                    .register(metrics));
        }
    }
}
