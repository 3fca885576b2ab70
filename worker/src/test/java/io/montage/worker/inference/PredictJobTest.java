package io.montage.worker.inference;

import io.micronaut.json.tree.JsonNode;
import io.montage.jobs.Job;
import io.montage.jobs.JobIntake;
import io.montage.jobs.JobItem;
import io.montage.jobs.JobStatus;
import io.montage.jobs.JobWaiter;
import io.montage.jobs.Jobs;
import io.montage.jobs.NewItem;
import io.montage.jobs.Priority;
import io.montage.jobs.contracts.JobCodec;
import io.montage.jobs.contracts.PredictJob;
import io.montage.models.Model;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A bulk {@code predict} job (as POST /v1/jobs queues it: bulk priority, each item an image's bytes and its text)
 * through the real queue and this JVM's worker with the fused demo: the whole held-out split answered as its
 * trainer answered it (the same top label, its probability within 1e-5, top_k labels kept), and the items that
 * cannot be a pair (no text, bytes that are no image) failed alone.
 */
class PredictJobTest {

    @Test
    void theHeldOutSplitAsABulkJobIsAnsweredAsInPythonAndBadItemsFailAlone() throws Exception {
        Tenant tenant = SharedContext.newTenant();
        Model fused = DemoBundle.served(DemoBundle.FUSED_DIR);
        JsonNode heldOut = DemoBundle.fusedHeldOut();
        Path stamps = Path.of(heldOut.get("stamps_root").getStringValue());
        List<String> labels = new HeldOutStamps(heldOut).classOrder();
        JobCodec codec = SharedContext.bean(JobCodec.class);

        List<NewItem> items = new ArrayList<>();
        List<JsonNode> expected = new ArrayList<>();
        for (JsonNode item : heldOut.get("items").values()) {
            String image = item.get("image").getStringValue();
            items.add(codec.item(PredictJob.CONTRACT, image, PredictJob.Input.of(
                    Files.readAllBytes(stamps.resolve(image)), item.get("text").getStringValue())));
            expected.add(item);
        }
        byte[] hen = Files.readAllBytes(stamps.resolve(expected.getFirst().get("image").getStringValue()));
        items.add(codec.item(PredictJob.CONTRACT, "no-text", PredictJob.Input.of(hen, null)));
        items.add(codec.item(PredictJob.CONTRACT, "not-an-image", PredictJob.Input.of(
                "%PDF-1.4".getBytes(StandardCharsets.UTF_8), "A hen.")));
        Job job = SharedContext.bean(JobIntake.class).submit(tenant.id(), codec.job(PredictJob.CONTRACT,
                Priority.BULK, new PredictJob.Params(3), fused.id(), Duration.ofHours(1), items));
        Job done = SharedContext.bean(JobWaiter.class).await(tenant.id(), job.id(), Duration.ofMinutes(5));
        assertEquals(JobStatus.SUCCEEDED, done.status());

        List<JobItem> answered = SharedContext.bean(Jobs.class).items(tenant.id(), job.id(), null, -1, items.size());
        assertEquals(items.size(), answered.size());
        int correct = 0;
        for (int i = 0; i < expected.size(); i++) {
            JsonNode item = expected.get(i);
            JobItem result = answered.get(i);
            assertEquals(item.get("image").getStringValue(), result.customId());
            assertNull(result.errorCode(), result.customId() + ": " + result.errorMessage());
            PredictJob.Result r = codec.readResult(PredictJob.CONTRACT, result.resultJson());
            assertEquals(3, r.labels().size(), "top_k 3");
            String predicted = item.get("predicted").getStringValue();
            assertEquals(predicted, r.labels().getFirst().label(), result.customId());
            double p = item.get("probabilities").get(labels.indexOf(predicted)).getDoubleValue();
            assertEquals(p, r.labels().getFirst().score(), 1e-5, result.customId());
            correct += predicted.equals(item.get("label").getStringValue()) ? 1 : 0;
        }
        assertEquals(heldOut.get("correct").getIntValue(), correct, "83 of 118, as TRAINING.md says");
        assertEquals("invalid_input", answered.get(expected.size()).errorCode(), "no text: half a pair");
        assertEquals("not-an-image", answered.get(expected.size() + 1).customId());
        assertEquals(2, done.failedItems());
    }
}
