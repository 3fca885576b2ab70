package io.montage.jobs;

import java.util.List;

/** A job as it stands and, once it succeeded, its items with their results (empty before). */
public record JobResults(Job job, List<JobItem> items) {
}
