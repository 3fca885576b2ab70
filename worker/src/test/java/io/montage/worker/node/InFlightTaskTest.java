package io.montage.worker.node;

import io.montage.jobs.contracts.EchoJob;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.Priority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exactly one of the running thread and the node records a task's end. */
class InFlightTaskTest {

    private final InFlightTask task = new InFlightTask(new ClaimedTask(1, UUID.randomUUID(), UUID.randomUUID(),
            EchoJob.NAME, Priority.BULK, null, "{}", 1, 5, UUID.randomUUID(), Instant.now(), 0, null, null),
            Slot.GENERAL);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void stoppingTakesTheEndFromTheRunningThreadAndInterruptsIt() {
        assertTrue(task.attach(Thread.currentThread()));

        assertTrue(task.stop());

        assertTrue(Thread.currentThread().isInterrupted());
        assertFalse(task.settle());
        task.detach();
        assertFalse(Thread.currentThread().isInterrupted(), "the pool thread kept the interrupt for its next task");
    }

    @Test
    void aSettledTaskCannotBeStopped() {
        assertTrue(task.attach(Thread.currentThread()));

        assertTrue(task.settle());

        assertFalse(task.stop());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aTaskStoppedBeforeItStartedNeverRuns() {
        assertTrue(task.stop());

        assertFalse(task.attach(Thread.currentThread()));
    }

    @Test
    void afterDetachingAStopInterruptsNobody() {
        assertTrue(task.attach(Thread.currentThread()));
        task.detach();

        assertTrue(task.stop());

        assertFalse(Thread.currentThread().isInterrupted());
    }
}
