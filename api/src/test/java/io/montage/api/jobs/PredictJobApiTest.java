package io.montage.api.jobs;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;
import io.montage.apikeys.ApiKeyService;
import io.montage.apikeys.Scope;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.jobs.TaskLeases;
import io.montage.jobs.contracts.ClassifyJob;
import io.montage.jobs.contracts.JobCodec;
import io.montage.jobs.contracts.PredictJob;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.testing.FakeBundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Bulk {@code predict} jobs through POST /v1/jobs: inline JSON items, a JSONL upload and a zip whose texts come from
 * its metadata.jsonl, each queued as the pairs a fused model's worker reads ({@link PredictJob}'s contract, the
 * image as its bytes), with the job's top_k; bad items, a clip model, a bad top_k and a key without inference
 * refused. The worker's side (the real fused model on the held-out stamps) is the worker's PredictJobTest; here a
 * test worker claims the tasks and completes them so the results download.
 */
class PredictJobApiTest {

    private static final byte[] PNG = png();
    private static final String IMAGE = Base64.getEncoder().encodeToString(PNG);

    private static ApiServer.Caller caller;
    private static Model fused;
    private static Model clip;

    @BeforeAll
    static void aFusedAndAClipModel() throws IOException {
        caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));
        fused = FakeBundle.registerReadyFused(ApiServer.bean(ModelRegistry.class), "bulk-predict");
        clip = ApiServer.readyModel("bulk-predict-clip");
    }

    private static byte[] png() {
        try {
            return Files.readAllBytes(Path.of(
                    "../deploy/models/fashion-clip-mini/reference/images/fmnist_test00018_label8_bag.png"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String job(String fields, String items) {
        return "{\"type\":\"predict\"," + fields + ",\"items\":[" + items + "]}";
    }

    private static String model(Model model) {
        return "\"model\":\"" + model.reference() + "\"";
    }

    @Test
    void inlinePairsAreQueuedAsTheWorkerReadsThemAndTheirResultsDownload() {
        ApiServer.Response created = send("POST", "/v1/jobs", caller.key(), job(model(fused) + ",\"top_k\":1",
                "{\"custom_id\":\"bag\",\"image\":\"" + IMAGE + "\",\"text\":\"a leather bag\"},"
                        + "{\"custom_id\":\"far\",\"image_url\":\"https://example.com/a.png\",\"text\":\"a cat\"}"));
        assertEquals(201, created.status(), created.body());
        String id = created.json().get("id").getStringValue();
        assertEquals("predict", created.json().get("type").getStringValue());

        List<TaskItem> queued = claim(id, (task, items) -> items.stream().map(i -> ItemOutcome.succeeded(i.seq(),
                ApiServer.bean(JobCodec.class).result(PredictJob.CONTRACT, new PredictJob.Result(
                        List.of(new ClassifyJob.Ranked(i.customId().equals("bag") ? "dog" : "cat", 0.75)), null))))
                .toList());
        assertEquals(List.of("bag", "far"), queued.stream().map(TaskItem::customId).toList());
        JobCodec codec = ApiServer.bean(JobCodec.class);
        PredictJob.Input bag = codec.readInput(PredictJob.CONTRACT, queued.get(0).inputJson(),
                queued.get(0).inputBytes());
        assertEquals("a leather bag", bag.text());
        assertArrayEquals(PNG, bag.image(), "the image as its bytes, decoded from base64 once");
        assertEquals(true, bag.complete());
        PredictJob.Input far = codec.readInput(PredictJob.CONTRACT, queued.get(1).inputJson(), null);
        assertEquals("https://example.com/a.png", far.imageUrl());
        assertNull(far.image());

        List<JsonNode> results = BulkJobApiTest.lines(send("GET", "/v1/jobs/" + id + "/results", caller.key(), null)
                .body());
        assertEquals(List.of("bag", "far"), results.stream().map(r -> r.get("custom_id").getStringValue()).toList());
        assertEquals("dog", results.get(0).get("result").get("labels").get(0).get("label").getStringValue());
        assertEquals(0.75, results.get(1).get("result").get("labels").get(0).get("score").getDoubleValue());
        assertEquals("succeeded", send("GET", "/v1/jobs/" + id, caller.key(), null).json().get("status")
                .getStringValue());
    }

    @Test
    void theJobsParametersAndItsItemsAreCheckedBeforeAnythingIsQueued() {
        String pair = "{\"image\":\"" + IMAGE + "\",\"text\":\"a bag\"}";
        assertProblem(send("POST", "/v1/jobs", caller.key(), job(model(clip), pair)), 422, "model_kind_mismatch");
        assertProblem(send("POST", "/v1/jobs", caller.key(), job(model(fused) + ",\"top_k\":3", pair)),
                422, "invalid_top_k"); // the fake fused model has two labels
        assertProblem(send("POST", "/v1/jobs", caller.key(), job(model(fused) + ",\"top_k\":0", pair)),
                422, "invalid_top_k");
        assertProblem(send("POST", "/v1/jobs", caller.key(), "{\"type\":\"embed\"," + model(clip)
                + ",\"top_k\":1,\"items\":[{\"text\":\"x\"}]}"), 422, "invalid_top_k");
        assertProblem(send("POST", "/v1/jobs", caller.key(), job(model(fused), "{\"image\":\"" + IMAGE + "\"}")),
                422, "invalid_item");
        assertProblem(send("POST", "/v1/jobs", caller.key(), job(model(fused), "{\"text\":\"a bag\"}")),
                422, "invalid_item");
        assertProblem(send("POST", "/v1/jobs", caller.key(), job(model(fused), "{\"image\":\"" + IMAGE
                + "\",\"image_url\":\"https://example.com/a.png\",\"text\":\"a bag\"}")), 422, "invalid_item");
        assertProblem(send("POST", "/v1/jobs", caller.key(), job(model(fused), "{\"image\":\"***\",\"text\":\"x\"}")),
                422, "invalid_base64");
        assertProblem(send("POST", "/v1/jobs", caller.key(), job(model(fused),
                "{\"image_url\":\"file:///etc/passwd\",\"text\":\"x\"}")), 422, "invalid_image_url");
        assertProblem(send("POST", "/v1/jobs", caller.key(), job(model(fused), "{\"image\":\"" + IMAGE
                + "\",\"text\":7}")), 422, "invalid_item");
        String jobsOnly = ApiServer.bean(ApiKeyService.class).create(caller.tenant().id(), "jobs-only",
                Set.of(Scope.JOBS_WRITE, Scope.JOBS_READ), null).secret();
        assertProblem(send("POST", "/v1/jobs", jobsOnly, job(model(fused), pair)), 403, "insufficient_scope");
    }

    @Test
    void aJsonlUploadTakesTopKAsAQueryParameterAndABadLineIsAnItemError() throws Exception {
        String jsonl = "{\"custom_id\":\"ok\",\"image\":\"" + IMAGE + "\",\"text\":\"a bag\"}\n"
                + "{\"custom_id\":\"no-text\",\"image\":\"" + IMAGE + "\"}\n";
        HttpResponse<String> response = post("type=predict&top_k=2&model=" + fused.reference(),
                "application/x-ndjson", jsonl.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, response.statusCode(), response.body());
        JsonNode created = BulkJobApiTest.json(response.body());
        assertEquals(2, created.get("counts").get("total").getIntValue());
        assertEquals(1, created.get("counts").get("failed").getIntValue());
        String id = created.get("id").getStringValue();
        List<JsonNode> errors = BulkJobApiTest.lines(send("GET", "/v1/jobs/" + id + "/errors", caller.key(), null)
                .body());
        assertEquals("no-text", errors.getFirst().get("custom_id").getStringValue());
        assertEquals("invalid_item", errors.getFirst().get("error").get("code").getStringValue());
        List<Integer> topK = new ArrayList<>();
        claim(id, (task, items) -> {
            topK.add(ApiServer.bean(JobCodec.class).readParams(PredictJob.CONTRACT, task.paramsJson()).topK());
            return items.stream().map(i -> ItemOutcome.failed(i.seq(), "test", "not run")).toList();
        });
        assertEquals(List.of(2), topK, "the job's top_k, as the worker reads it");
        HttpResponse<String> notANumber = post("type=predict&top_k=many&model=" + fused.reference(),
                "application/x-ndjson", jsonl.getBytes(StandardCharsets.UTF_8));
        assertEquals(400, notANumber.statusCode(), notANumber.body());
        assertEquals("application/problem+json", notANumber.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void aZipsImagesGetTheirTextsFromItsMetadataLines() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("shop/bag.png", PNG);
        entries.put("shop/untexted.png", PNG);
        entries.put("metadata.jsonl", "{\"custom_id\":\"shop/bag.png\",\"text\":\"a leather bag\"}\n"
                .getBytes(StandardCharsets.UTF_8)); // after the image it describes
        HttpResponse<String> response = post("type=predict&model=" + fused.reference(), "application/zip",
                ZipJobApiTest.zip(entries));
        assertEquals(201, response.statusCode(), response.body());
        String id = BulkJobApiTest.json(response.body()).get("id").getStringValue();
        List<TaskItem> queued = claim(id, (task, items) -> items.stream()
                .map(i -> ItemOutcome.failed(i.seq(), "test", "not run")).toList());
        JobCodec codec = ApiServer.bean(JobCodec.class);
        Map<String, PredictJob.Input> inputs = new LinkedHashMap<>();
        queued.forEach(i -> inputs.put(i.customId(), codec.readInput(PredictJob.CONTRACT, i.inputJson(),
                i.inputBytes())));
        assertEquals("a leather bag", inputs.get("shop/bag.png").text());
        assertArrayEquals(PNG, inputs.get("shop/bag.png").image());
        assertEquals(true, inputs.get("shop/bag.png").complete());
        assertEquals(false, inputs.get("shop/untexted.png").complete(), "no text line: the worker fails the item");

        Map<String, byte[]> badLine = new LinkedHashMap<>();
        badLine.put("a.png", PNG);
        badLine.put("metadata.jsonl", "{\"custom_id\":\"a.png\",\"metadata\":{\"price\":1}}\n"
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> refused = post("type=predict&model=" + fused.reference(), "application/zip",
                ZipJobApiTest.zip(badLine));
        assertProblem(new ApiServer.Response(refused.statusCode(), refused.headers().firstValue("Content-Type")
                .orElse(""), refused.body()), 422, "invalid_metadata");
    }

    /** Claims the job's tasks as a predict worker for the fused model, completes them as {@code outcomes} says. */
    private static List<TaskItem> claim(String jobId, Outcomes outcomes) {
        TaskLeases leases = ApiServer.bean(TaskLeases.class);
        List<TaskItem> all = new ArrayList<>();
        for (ClaimedTask task : leases.claim(UUID.randomUUID(), List.of(PredictJob.NAME), List.of(fused.id()), 100)) {
            List<TaskItem> items = leases.items(task);
            if (task.jobId().toString().equals(jobId)) {
                all.addAll(items);
                leases.complete(task, outcomes.of(task, items));
            } else {
                leases.complete(task, items.stream().map(i -> ItemOutcome.failed(i.seq(), "test", "other")).toList());
            }
        }
        return all;
    }

    private interface Outcomes {
        List<ItemOutcome> of(ClaimedTask task, List<TaskItem> items);
    }

    private static HttpResponse<String> post(String query, String contentType, byte[] body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(ApiServer.get().getURL() + "/v1/jobs?" + query))
                .header("Authorization", "Bearer " + caller.key()).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
