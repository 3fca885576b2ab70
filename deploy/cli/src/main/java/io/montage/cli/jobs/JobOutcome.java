package io.montage.cli.jobs;

import io.montage.cli.ExitCodes;
import io.montage.client.model.JobView;
import io.montage.client.model.JobViewCounts;

import java.io.PrintWriter;
import java.time.Duration;

/** A finished job's one-line summary, and the exit code it means (6 when any item failed, or the job did not succeed). */
final class JobOutcome {

    private JobOutcome() {
    }

    static int report(JobView job, PrintWriter out) {
        JobViewCounts counts = job.getCounts();
        StringBuilder line = new StringBuilder("job ").append(job.getId()).append(' ').append(job.getStatus())
                .append(": ").append(counts.getSucceeded()).append(" succeeded, ").append(counts.getFailed())
                .append(" failed");
        if (counts.getCancelled() > 0) {
            line.append(", ").append(counts.getCancelled()).append(" cancelled");
        }
        line.append(" of ").append(counts.getTotal());
        if (job.getStartedAt() != null && job.getFinishedAt() != null) {
            Duration took = Duration.between(job.getStartedAt(), job.getFinishedAt());
            double seconds = Math.max(took.toMillis(), 1) / 1000.0;
            line.append(String.format(" in %.1f s (%.1f items/s)", seconds, counts.getTotal() / seconds));
        }
        out.println(line);
        if (counts.getFailed() > 0) {
            out.println("their errors: montage jobs errors " + job.getId());
        }
        out.flush();
        return "succeeded".equals(job.getStatus()) && counts.getFailed() == 0 ? ExitCodes.DONE : ExitCodes.ITEMS_FAILED;
    }
}
