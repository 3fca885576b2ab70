package io.montage.cli.jobs;

import io.montage.cli.Api;
import io.montage.client.model.JobView;
import io.montage.client.model.JobViewCounts;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Follows a job until it ends, with a live progress bar (me.tongfei:progressbar): items done of the total, items/s,
 * the time left as the api estimates it, and the failures so far. On a terminal the bar redraws in place; elsewhere
 * (a pipe, a log, a test) each redraw is a line of its own.
 */
final class JobProgress {

    static final Set<String> FINISHED = Set.of("succeeded", "failed", "cancelled");
    private static final Duration POLL = Duration.ofMillis(500);

    private final Api api;
    private final PrintWriter err;
    private final boolean terminal;

    JobProgress(Api api, PrintWriter err, boolean terminal) {
        this.api = api;
        this.err = err;
        this.terminal = terminal;
    }

    /** Polls the job every half second and draws it, until it has finished; the last view. */
    JobView follow(UUID id) throws InterruptedException {
        JobView job = api.call(() -> api.jobs().getJob(id));
        long[] eta = {-1};
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("job " + id.toString().substring(0, 8))
                .setInitialMax(total(job)).setUnit(" items", 1).showSpeed().setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis((int) POLL.toMillis())
                .setEtaFunction(state -> eta[0] < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(eta[0])));
        if (terminal) {
            builder.setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK); // as wide as the terminal
        } else {
            builder.setStyle(ProgressBarStyle.ASCII).setConsumer(new DelegatingProgressBarConsumer(line -> {
                err.println(line.stripTrailing());
                err.flush();
            }, 120));
        }
        try (ProgressBar bar = builder.build()) {
            while (true) {
                JobViewCounts counts = job.getCounts();
                bar.maxHint(total(job));
                bar.stepTo(done(counts));
                boolean finished = FINISHED.contains(job.getStatus());
                eta[0] = finished ? 0 : job.getEtaSeconds() == null ? -1 : job.getEtaSeconds();
                bar.setExtraMessage(" " + failures(counts) + " · " + job.getStatus()); // the bar writes no space
                if (finished) {
                    bar.refresh();
                    return job;
                }
                Thread.sleep(POLL);
                job = api.call(() -> api.jobs().getJob(id));
            }
        }
    }

    private static long total(JobView job) {
        return job.getCounts() == null || job.getCounts().getTotal() == null ? 0 : job.getCounts().getTotal();
    }

    private static long done(JobViewCounts counts) {
        return (long) counts.getSucceeded() + counts.getFailed() + counts.getCancelled();
    }

    private static String failures(JobViewCounts counts) {
        return counts.getFailed() + (counts.getFailed() == 1 ? " failure" : " failures");
    }
}
