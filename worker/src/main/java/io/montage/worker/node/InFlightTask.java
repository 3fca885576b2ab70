package io.montage.worker.node;

import io.montage.jobs.ClaimedTask;

/**
 * A task this worker holds, and the decision of who records its end. Exactly one party does: the thread running
 * it (complete or fail, after {@link #settle}), or the node (abandon on cancel, release on shutdown, nothing on a
 * lost lease, after {@link #stop}). Whichever call comes first wins; the other party writes nothing, so a task is
 * never both completed and abandoned.
 */
final class InFlightTask {

    private final ClaimedTask task;
    private final Slot slot;
    private Thread runner; // guarded by this
    private boolean ended; // guarded by this

    InFlightTask(ClaimedTask task, Slot slot) {
        this.task = task;
        this.slot = slot;
    }

    ClaimedTask task() {
        return task;
    }

    /** The slot it takes until its end is recorded. */
    Slot slot() {
        return slot;
    }

    /** Binds the thread that runs the task; false when the node stopped the task before it started. */
    synchronized boolean attach(Thread thread) {
        if (ended) {
            return false;
        }
        runner = thread;
        return true;
    }

    /**
     * Unbinds the running thread, which calls this itself when done, and clears any interrupt {@link #stop} left
     * on it: the pool thread goes on to run other tasks. After this, {@link #stop} interrupts nobody.
     */
    synchronized void detach() {
        runner = null;
        Thread.interrupted();
    }

    /** The running thread takes the right to record the end; false when the node stopped the task first. */
    synchronized boolean settle() {
        return end();
    }

    /** The node takes the right to record the end and interrupts the running thread; false when it settled first. */
    synchronized boolean stop() {
        if (!end()) {
            return false;
        }
        if (runner != null) {
            runner.interrupt();
        }
        return true;
    }

    private boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        return true;
    }
}
