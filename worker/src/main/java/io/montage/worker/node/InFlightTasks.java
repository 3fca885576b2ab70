package io.montage.worker.node;

import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The tasks this worker holds: from claim until their end is recorded. Their count per slot limits what it claims. */
@Singleton
final class InFlightTasks {

    private final Set<InFlightTask> tasks = new HashSet<>(); // guarded by this

    synchronized void add(InFlightTask task) {
        tasks.add(task);
    }

    synchronized void remove(InFlightTask task) {
        tasks.remove(task);
        notifyAll();
    }

    synchronized int size() {
        return tasks.size();
    }

    /** How many of the held tasks take a slot of this kind. */
    synchronized int size(Slot slot) {
        return (int) tasks.stream().filter(t -> t.slot() == slot).count();
    }

    /** Whether a suspect (a task a worker died running) is among them: it runs alone, so nothing else is claimed. */
    synchronized boolean holdsSuspect() {
        return tasks.stream().anyMatch(t -> t.task().suspect());
    }

    synchronized List<InFlightTask> snapshot() {
        return List.copyOf(tasks);
    }

    /** Waits until no task is held any more, or {@code timeout} passed. */
    synchronized void awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); !tasks.isEmpty() && left > 0; left = deadline - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
