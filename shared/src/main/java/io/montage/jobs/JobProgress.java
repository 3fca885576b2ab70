package io.montage.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * A job's pace: items finished per second since it started (to its end once it has one) and, while it runs, the
 * seconds left at that pace. Both are null until an item has finished. The api's job resource and the console's
 * jobs view show these same numbers.
 */
public record JobProgress(Double itemsPerSecond, Long etaSeconds) {

    public static JobProgress of(Job job) {
        int done = job.succeededItems() + job.failedItems();
        if (job.startedAt() == null || done == 0) {
            return new JobProgress(null, null);
        }
        Instant end = job.finishedAt() == null ? Instant.now() : job.finishedAt();
        double seconds = Math.max(Duration.between(job.startedAt(), end).toMillis(), 1) / 1000.0;
        double rate = Math.round(done / seconds * 10) / 10.0;
        Long eta = !job.status().terminal() && rate > 0 ? Math.round(job.pendingItems() / rate) : null;
        return new JobProgress(rate, eta);
    }
}
