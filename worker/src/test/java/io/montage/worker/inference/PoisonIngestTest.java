package io.montage.worker.inference;

import io.montage.jobs.contracts.IngestJob;
import io.montage.collections.Collection;
import io.montage.collections.Collections;
import io.montage.jobs.Job;
import io.montage.jobs.JobItem;
import io.montage.jobs.JobIntake;
import io.montage.jobs.JobStatus;
import io.montage.jobs.JobWaiter;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.json.JsonCodec;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;
import io.montage.testing.NoInternals;
import io.montage.testing.SharedContext;
import io.montage.worker.tasks.ServedModels;
import io.montage.worker.testing.Await;
import io.montage.worker.testing.TaskRows;
import io.montage.worker.testing.TestJobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Poison items in an ingest task, put straight into the queue (past the api's checks), next to good ones: each
 * fails alone with a precise code, every other item is stored, and nothing is retried.
 */
class PoisonIngestTest {

    private static Model model;
    private static Tenant tenant;

    @BeforeAll
    static void theDemoModelServed() {
        model = SharedContext.bean(ModelRegistry.class).register(DemoBundle.DIR.toString());
        Await.until(Duration.ofSeconds(90), "the worker serves the demo model",
                () -> SharedContext.bean(ServedModels.class).ids(), ids -> ids.contains(model.id()));
        tenant = SharedContext.newTenant();
    }

    private static String item(String itemId, Object metadata) {
        return SharedContext.bean(JsonCodec.class).write(Map.of("item_id", itemId, "text", "a red ankle boot",
                "metadata", metadata));
    }

    @Test
    void oneBadItemAmongAHundredFailsAloneWithAPreciseCode() throws InterruptedException {
        Collection collection = SharedContext.bean(Collections.class).create(tenant.id(), "poisoned", model);
        List<NewItem> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String input = switch (i) {
                case 17 -> "{\"item_id\":\"nul\\u0000id\",\"text\":\"a boot\"}";            // NUL in a text column
                case 42 -> "{\"item_id\":\"i42\",\"text\":\"a boot\",\"metadata\":{\"note\":\"a\\u0000b\"}}"; // in jsonb
                case 73 -> item("x".repeat(300), Map.of());                                  // breaks a CHECK
                default -> item("i" + i, Map.of("n", i));
            };
            items.add(new NewItem("c" + i, input));
        }
        Job job = SharedContext.bean(JobIntake.class).submit(tenant.id(), new NewJob(IngestJob.NAME, Priority.BULK,
                "{\"collection_id\":\"" + collection.id() + "\"}", model.id(), items));

        Job done = SharedContext.bean(JobWaiter.class).await(tenant.id(), job.id(), Duration.ofMinutes(2));

        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(97, done.succeededItems());
        assertEquals(3, done.failedItems());
        assertTrue(TaskRows.tasksOf(job.id()).stream().allMatch(t -> t.attempts() == 1), "never retried: "
                + TaskRows.tasksOf(job.id()));
        List<JobItem> outcomes = TestJobs.outcomes(tenant, done);
        assertEquals("nul_character", outcomes.get(17).errorCode());
        assertEquals("nul_character", outcomes.get(42).errorCode());
        assertEquals("invalid_data", outcomes.get(73).errorCode());
        for (int i : new int[]{17, 42, 73}) {
            NoInternals.assertNone(outcomes.get(i).errorMessage());
        }
        assertEquals(97, SharedContext.bean(Collections.class).get(tenant.id(), "poisoned").itemCount());
    }

    @Test
    void anIngestIntoACollectionThatIsGoneFailsAtOnce() throws InterruptedException {
        Collections collections = SharedContext.bean(Collections.class);
        Collection collection = collections.create(tenant.id(), "short-lived", model);
        collections.delete(tenant.id(), "short-lived");
        Job job = SharedContext.bean(JobIntake.class).submit(tenant.id(), new NewJob(IngestJob.NAME, Priority.BULK,
                "{\"collection_id\":\"" + collection.id() + "\"}", model.id(),
                List.of(new NewItem("a", item("a", Map.of())), new NewItem("b", item("b", Map.of())))));

        Job done = SharedContext.bean(JobWaiter.class).await(tenant.id(), job.id(), Duration.ofMinutes(1));

        assertEquals(JobStatus.FAILED, done.status());
        assertEquals(1, TaskRows.onlyTaskOf(job.id()).attempts(), "a 4xx cannot succeed later: not retried");
        for (JobItem outcome : TestJobs.outcomes(tenant, done)) {
            assertEquals("collection_not_found", outcome.errorCode());
        }
    }
}
