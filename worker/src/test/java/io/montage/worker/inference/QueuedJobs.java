package io.montage.worker.inference;

import io.micronaut.json.JsonMapper;
import io.montage.jobs.Job;
import io.montage.jobs.JobIntake;
import io.montage.jobs.JobItem;
import io.montage.jobs.JobStatus;
import io.montage.jobs.JobWaiter;
import io.montage.jobs.Jobs;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.models.Model;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import io.montage.worker.testing.TestItems;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs a model-bound job through the real queue, as the api submits it (an image's base64 as its bytes), and returns
 * its items in order.
 */
final class QueuedJobs {

    private QueuedJobs() {
    }

    static List<JobItem> run(Tenant tenant, Model model, String type, Object params, List<String> inputs)
            throws IOException, InterruptedException {
        List<NewItem> items = inputs.stream().map(i -> TestItems.item(null, i)).toList();
        String paramsJson = SharedContext.bean(JsonMapper.class).writeValueAsString(params);
        Job job = SharedContext.bean(JobIntake.class).submit(tenant.id(),
                new NewJob(type, Priority.INTERACTIVE, paramsJson, model.id(), items));
        Job done = SharedContext.bean(JobWaiter.class).await(tenant.id(), job.id(), Duration.ofMinutes(3));
        assertEquals(JobStatus.SUCCEEDED, done.status());
        return SharedContext.bean(Jobs.class).items(tenant.id(), job.id(), null, -1, inputs.size());
    }
}
