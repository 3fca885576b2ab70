package io.montage.worker.inference;

import io.montage.jobs.contracts.ClassifyJob;
import io.montage.jobs.contracts.EmbedJob;
import io.micronaut.json.JsonMapper;
import io.montage.jobs.Job;
import io.montage.jobs.JobIntake;
import io.montage.jobs.JobStatus;
import io.montage.jobs.JobWaiter;
import io.montage.jobs.NewItem;
import io.montage.worker.testing.TestItems;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.models.Model;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import io.montage.worker.testing.Await;
import io.montage.worker.testing.TaskRows;
import io.montage.worker.testing.TestJobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8's stall, replayed on the demo model served by the test context's real worker: while tenant A runs a
 * costly synchronous classification (2,000 labels × 5 templates: 10,000 prompts) and a bulk embedding job of
 * 4,000 texts, tenant B's one-text synchronous request goes through; it finishes while A's work is still under
 * way. Progress, not wall-clock: what is asserted is which work was done when B's finished.
 */
class FairShareTest {

    private static final List<String> TEMPLATES = List.of("a photo of a {}.", "a picture of a {}.",
            "an image of a {}.", "a close-up photo of a {}.", "a product photo of a {}.");

    private static Model model;

    @BeforeAll
    static void serveTheDemoModel() throws Exception {
        model = DemoBundle.served();
    }

    @Test
    void oneTenantsCostlyWorkDoesNotStallAnotherTenantsRequest() throws Exception {
        Tenant a = SharedContext.newTenant();
        Tenant b = SharedContext.newTenant();
        String run = UUID.randomUUID().toString().substring(0, 8); // labels no earlier run embedded
        List<String> labels = IntStream.range(0, 2000).mapToObj(i -> "thing " + i + " of " + run).toList();
        Job classify = submit(a, ClassifyJob.NAME, Priority.INTERACTIVE, Map.of("labels", labels, "templates", TEMPLATES),
                List.of(DemoBundle.imageItem("fmnist_test00000_label9_ankle-boot.png")));
        Job bulk = submit(a, EmbedJob.NAME, Priority.BULK, Map.of(),
                IntStream.range(0, 4000).mapToObj(i -> "{\"text\":\"bulk text " + i + "\"}").toList());
        Await.until(Duration.ofSeconds(60), "A's classification runs", () -> TaskRows.onlyTaskOf(classify.id()),
                task -> task.status().equals("running"));

        Job small = submit(b, EmbedJob.NAME, Priority.INTERACTIVE, Map.of(), List.of("{\"text\":\"ankle boot\"}"));
        Job smallDone = SharedContext.bean(JobWaiter.class).await(b.id(), small.id(), Duration.ofMinutes(2));
        Job classifyThen = TestJobs.current(a, classify);
        Job bulkThen = TestJobs.current(a, bulk);

        assertEquals(JobStatus.SUCCEEDED, smallDone.status());
        assertFalse(classifyThen.status().terminal(),
                "B's one text finished while A's 10,000 prompts were still on their way, not after them");
        assertTrue(bulkThen.pendingItems() > 0, "and while A's bulk job still had items to embed: " + bulkThen);

        Job classifyDone = TestJobs.awaitEnd(a, classify, Duration.ofMinutes(5));
        Job bulkDone = TestJobs.awaitEnd(a, bulk, Duration.ofMinutes(5));
        assertEquals(JobStatus.SUCCEEDED, classifyDone.status(), "A's work is slowed, never failed");
        assertEquals(JobStatus.SUCCEEDED, bulkDone.status());
        assertEquals(4000, bulkDone.succeededItems());
        Duration classifyTook = Duration.between(classifyDone.startedAt(), classifyDone.finishedAt());
        Duration smallTook = Duration.between(smallDone.createdAt(), smallDone.finishedAt());
        Duration smallAfterClassifyStarted = Duration.between(classifyDone.startedAt(), smallDone.createdAt());
        System.out.printf("B's one text: answered %d ms after it was queued, %d ms into A's classification; A's "
                        + "classification ran %d ms, A's bulk job %d ms%n", smallTook.toMillis(),
                smallAfterClassifyStarted.toMillis(), classifyTook.toMillis(),
                Duration.between(bulkDone.startedAt(), bulkDone.finishedAt()).toMillis());
        assertTrue(smallDone.finishedAt().isBefore(classifyDone.finishedAt()));
        assertTrue(smallDone.finishedAt().isBefore(bulkDone.finishedAt()));
        assertTrue(smallDone.finishedAt().isBefore(classifyDone.startedAt().plus(classifyTook.dividedBy(2))),
                "B's answer came before A's classification was half done, not once its prompts were through");
    }

    private static Job submit(Tenant tenant, String type, int priority, Object params, List<String> inputs)
            throws Exception {
        String paramsJson = SharedContext.bean(JsonMapper.class).writeValueAsString(params);
        List<NewItem> items = inputs.stream().map(input -> TestItems.item(null, input)).toList();
        return SharedContext.bean(JobIntake.class).submit(tenant.id(),
                new NewJob(type, priority, paramsJson, model.id(), items));
    }

}
