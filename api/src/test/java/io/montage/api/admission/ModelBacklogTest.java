package io.montage.api.admission;

import io.montage.jobs.contracts.EmbedJob;
import io.montage.api.ApiServer;
import io.montage.api.TestModels;
import io.montage.apikeys.Scope;
import io.montage.errors.MontageException;
import io.montage.jobs.JobIntake;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.jobs.QueueBacklog;
import io.montage.jobs.QueueConfig;
import io.montage.models.Model;
import io.montage.tenants.Tenant;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A model whose synchronous backlog is over the bound (200 waiting tasks by default) answers new synchronous
 * requests 503 model_overloaded at once. The backlog is put in place through the queue, as other tenants' requests
 * would have left it (there is no worker in these tests to drain it).
 */
class ModelBacklogTest {

    private static final int BOUND = 200;
    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    /** A model with {@code tasks} synchronous tasks waiting, queued by another tenant. */
    private static Model modelWithWaitingTasks(int tasks) {
        Model model = TestModels.ready("backlog");
        queueWaitingTasks(model, tasks);
        return model;
    }

    private static void queueWaitingTasks(Model model, int tasks) {
        Tenant other = ApiServer.newCaller(EnumSet.of(Scope.JOBS_READ)).tenant();
        int perTask = ApiServer.bean(QueueConfig.class).itemsPerTask();
        ApiServer.bean(JobIntake.class).submit(other.id(), new NewJob(EmbedJob.NAME, Priority.INTERACTIVE, "{}", model.id(),
                Collections.nCopies(tasks * perTask, new NewItem(null, "{\"text\":\"x\"}"))));
    }

    private ApiServer.Response embed(Model model) {
        return send("POST", "/v1/embeddings", caller.key(), "{\"model\":\"" + model.reference() + "\",\"input\":\"x\"}");
    }

    @Test
    void overTheBoundASynchronousRequestIs503WithRetryAfterAtOnce() {
        ApiServer.Response response = embed(modelWithWaitingTasks(BOUND + 1));
        assertProblem(response, 503, "model_overloaded");
        assertEquals("2", response.header("Retry-After"));
    }

    @Test
    void atTheBoundTheRequestGoesOn() {
        assertProblem(embed(modelWithWaitingTasks(BOUND)), 503, "no_worker_for_model"); // the next check: a worker
    }

    /**
     * A count older than count-for is used once more while it is read again in the background (no request waits
     * for the count), and the fresh count refuses the requests after it. count-for is 2 s here, so that the old
     * count is still kept (10 x count-for) however slowly this machine queues the backlog.
     */
    @Test
    void anOldCountIsUsedWhileItIsReadAgainThenTheNewOneApplies() throws InterruptedException {
        ModelBacklog backlog = new ModelBacklog(new BacklogConfig(BOUND, Duration.ofSeconds(2), Duration.ofSeconds(2)),
                ApiServer.bean(QueueBacklog.class));
        Model model = TestModels.ready("backlog");
        backlog.admit(model); // nothing waits: counted 0, and kept
        queueWaitingTasks(model, BOUND + 1);
        Thread.sleep(2_100);
        backlog.admit(model); // the kept 0, past count-for: used, and counted again meanwhile
        long deadline = System.nanoTime() + 10_000_000_000L;
        MontageException refused = null;
        while (refused == null && System.nanoTime() < deadline) {
            try {
                backlog.admit(model);
                Thread.sleep(20);
            } catch (MontageException e) {
                refused = e;
            }
        }
        assertNotNull(refused, "the new count was not used within 10 s");
        assertEquals("model_overloaded", refused.code());
    }

    @Test
    void bulkWorkForTheModelIsNoBacklogOfSynchronousRequests() {
        Model model = TestModels.ready("backlog");
        int perTask = ApiServer.bean(QueueConfig.class).itemsPerTask();
        ApiServer.bean(JobIntake.class).submit(caller.tenant().id(), new NewJob(EmbedJob.NAME, Priority.BULK, "{}", model.id(),
                Collections.nCopies((BOUND + 1) * perTask, new NewItem(null, "{\"text\":\"x\"}"))));
        assertProblem(embed(model), 503, "no_worker_for_model");
    }
}
