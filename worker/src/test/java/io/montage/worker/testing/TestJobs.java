package io.montage.worker.testing;

import io.montage.jobs.Job;
import io.montage.jobs.JobItem;
import io.montage.jobs.JobIntake;
import io.montage.jobs.Jobs;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/** Submits jobs the way the api does and waits for the worker to finish them. */
public final class TestJobs {

    private TestJobs() {
    }

    /** A bulk job of {@code itemCount} items {@code {"n": i}}, with custom ids "item-i". */
    public static Job submit(Tenant tenant, String type, String paramsJson, int itemCount) {
        List<NewItem> items = IntStream.range(0, itemCount)
                .mapToObj(i -> new NewItem("item-" + i, "{\"n\":" + i + "}")).toList();
        return submit(tenant, new NewJob(type, Priority.BULK, paramsJson, items));
    }

    public static Job submit(Tenant tenant, NewJob job) {
        return SharedContext.bean(JobIntake.class).submit(tenant.id(), job);
    }

    /** The job once it reached a terminal status. */
    public static Job awaitEnd(Tenant tenant, Job job, Duration timeout) {
        return Await.until(timeout, "job " + job.id() + " (" + job.type() + ") ends", () -> current(tenant, job),
                j -> j.status().terminal());
    }

    public static Job current(Tenant tenant, Job job) {
        return SharedContext.bean(Jobs.class).get(tenant.id(), job.id());
    }

    /** Every item of the job with its outcome, in order. */
    public static List<JobItem> outcomes(Tenant tenant, Job job) {
        return SharedContext.bean(Jobs.class).items(tenant.id(), job.id(), null, -1, job.totalItems());
    }
}
