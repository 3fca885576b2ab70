package io.montage.api.admission;

import io.montage.jobs.contracts.EmbedJob;
import io.montage.api.ApiServer;
import io.montage.api.TestModels;
import io.montage.apikeys.Scope;
import io.montage.jobs.JobIntake;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.jobs.QueueConfig;
import io.montage.models.Model;
import io.montage.tenants.Tenant;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.EnumSet;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
        Tenant other = ApiServer.newCaller(EnumSet.of(Scope.JOBS_READ)).tenant();
        int perTask = ApiServer.bean(QueueConfig.class).itemsPerTask();
        ApiServer.bean(JobIntake.class).submit(other.id(), new NewJob(EmbedJob.NAME, Priority.INTERACTIVE, "{}", model.id(),
                Collections.nCopies(tasks * perTask, new NewItem(null, "{\"text\":\"x\"}"))));
        return model;
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

    @Test
    void bulkWorkForTheModelIsNoBacklogOfSynchronousRequests() {
        Model model = TestModels.ready("backlog");
        int perTask = ApiServer.bean(QueueConfig.class).itemsPerTask();
        ApiServer.bean(JobIntake.class).submit(caller.tenant().id(), new NewJob(EmbedJob.NAME, Priority.BULK, "{}", model.id(),
                Collections.nCopies((BOUND + 1) * perTask, new NewItem(null, "{\"text\":\"x\"}"))));
        assertProblem(embed(model), 503, "no_worker_for_model");
    }
}
