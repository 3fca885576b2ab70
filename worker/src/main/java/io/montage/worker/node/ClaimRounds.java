package io.montage.worker.node;

/**
 * When the claim loop claims, from what it was told and what its last claims found (claim thread only; times from
 * {@link System#nanoTime}). A round is due unless only a slot was freed since the queue came back empty. In a round,
 * the interactive claim (the slots kept for interactive work) runs first; the general claim (any priority, highest
 * first) runs too unless the interactive claim emptied the interactive queue and nothing but interactive work was
 * announced since the general claim last found nothing: after a sync request's task, that claim always found
 * nothing (one transaction per request). The poll interval bounds both skips, for tasks that become claimable with
 * no announcement (a retry's backoff over): at most two intervals.
 */
final class ClaimRounds {

    private final long pollNanos;
    /** The announcement count when a round last left the whole queue empty for this worker; -1: it did not. */
    private long drainedAt = -1;
    /** The general announcement count when the general claim last found fewer tasks than slots; -1: it did not. */
    private long generalDrainedAt = -1;
    private long lastRound;
    private long lastGeneral;

    ClaimRounds(long pollNanos, long now) {
        this.pollNanos = pollNanos;
        this.lastRound = now - pollNanos;
        this.lastGeneral = now - pollNanos;
    }

    /** Whether to claim now: not when only a slot was freed since the queue came back empty, within the interval. */
    boolean due(long announcements, long now) {
        return announcements != drainedAt || now - lastRound >= pollNanos;
    }

    /**
     * Whether the general claim runs in this round, after an interactive claim that {@code interactiveDrained} the
     * interactive queue (it found fewer tasks than it had slots; false when it had none, so it cannot tell).
     */
    boolean generalDue(long generalAnnouncements, boolean interactiveDrained, long now) {
        return !interactiveDrained || generalAnnouncements != generalDrainedAt || now - lastGeneral >= pollNanos;
    }

    /**
     * Records a round: the counts it was due under, whether the general claim ran and, if so, whether it found
     * fewer tasks than free slots (then no claimable task of any priority was left).
     */
    void done(long announcements, long generalAnnouncements, long now, boolean generalRan, boolean generalDrained) {
        lastRound = now;
        if (generalRan) {
            lastGeneral = now;
            generalDrainedAt = generalDrained ? generalAnnouncements : -1;
        }
        // a skipped general claim means the interactive queue is empty and nothing else was announced
        drainedAt = !generalRan || generalDrained ? announcements : -1;
    }
}
