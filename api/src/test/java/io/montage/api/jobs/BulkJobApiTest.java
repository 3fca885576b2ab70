package io.montage.api.jobs;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.jobs.TaskLeases;
import io.montage.jobs.contracts.EmbedJob;
import io.montage.jobs.contracts.ItemSource;
import io.montage.jobs.contracts.JobCodec;
import io.montage.models.Model;
import io.montage.json.JsonCodec;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bulk jobs from JSONL uploads: bad lines, idempotency, partial results and errors as JSONL. */
class BulkJobApiTest {

    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    private HttpResponse<String> upload(String query, String jsonl, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ApiServer.get().getURL() + "/v1/jobs?" + query))
                .header("Authorization", "Bearer " + caller.key())
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(jsonl));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return ApiServer.exchange(request.build());
    }

    static JsonNode json(String text) {
        return ApiServer.bean(JsonCodec.class).read(text, JsonNode.class);
    }

    /** The JSON lines of a results or errors download. */
    static List<JsonNode> lines(String jsonl) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : jsonl.split("\n")) {
            if (!line.isBlank()) {
                out.add(json(line));
            }
        }
        return out;
    }

    private static final String FILE = """
            {"custom_id": "a", "input": {"n": 1}}
            this is not json
            {"custom_id": "b", "input": {"n": 2}}

            {"custom_id": "c"}
            {"custom_id": "d", "input": {"n": 4}}
            """;

    @Test
    void badLinesBecomeItemErrorsAndTheRestRuns() {
        HttpResponse<String> response = upload("type=echo", FILE, null);
        assertEquals(201, response.statusCode(), response.body());
        JsonNode job = json(response.body());
        assertEquals(5, job.get("counts").get("total").getIntValue(), "the blank line is no item");
        assertEquals(2, job.get("counts").get("failed").getIntValue());
        String id = job.get("id").getStringValue();

        List<JsonNode> errors = lines(send("GET", "/v1/jobs/" + id + "/errors", caller.key(), null).body());
        assertEquals(2, errors.size());
        assertEquals("line-2", errors.get(0).get("custom_id").getStringValue());
        assertEquals("invalid_json", errors.get(0).get("error").get("code").getStringValue());
        assertEquals("c", errors.get(1).get("custom_id").getStringValue());
        assertEquals("missing_item_input", errors.get(1).get("error").get("code").getStringValue());

        assertEquals(0, lines(send("GET", "/v1/jobs/" + id + "/results", caller.key(), null).body()).size(),
                "nothing has run yet");
        TaskLeases leases = ApiServer.bean(TaskLeases.class);
        for (ClaimedTask task : leases.claim(UUID.randomUUID(), List.of("echo"), 100)) {
            if (task.jobId().toString().equals(id)) {
                leases.complete(task, leases.items(task).stream()
                        .map(i -> ItemOutcome.succeeded(i.seq(), "{\"echo\":" + i.inputJson() + "}")).toList());
            }
        }
        List<JsonNode> results = lines(send("GET", "/v1/jobs/" + id + "/results", caller.key(), null).body());
        assertEquals(List.of("a", "b", "d"), results.stream().map(r -> r.get("custom_id").getStringValue()).toList());
        assertEquals(4, results.get(2).get("result").get("echo").get("n").getIntValue());
        JsonNode done = send("GET", "/v1/jobs/" + id, caller.key(), null).json();
        assertEquals("succeeded", done.get("status").getStringValue());
        assertTrue(done.get("items_per_second").getDoubleValue() > 0);
        assertTrue(done.get("expires_at").isString(), "inputs and results expire");
    }

    @Test
    void hostileLinesBecomeItemErrorsNamingWhereAndTheRestRuns() {
        String file = String.join("\n",
                "{\"custom_id\": \"ok-1\", \"input\": 1}",
                "null",
                "{\"custom_id\": \"a\\u0000b\", \"input\": 1}",
                "{\"custom_id\": \"deep\", \"input\": " + "[".repeat(64) + "]".repeat(64) + "}",
                "{\"custom_id\": \"d\", \"input\": 1, \"input\": 2}",
                "{\"custom_id\": \"s\", \"input\": \"\\ud800\"}",
                "7",
                "{\"custom_id\": \"ok-2\", \"input\": {\"n\": 2}}") + "\n";
        HttpResponse<String> response = upload("type=echo", file, null);
        assertEquals(201, response.statusCode(), response.body());
        JsonNode job = json(response.body());
        assertEquals(8, job.get("counts").get("total").getIntValue());
        assertEquals(6, job.get("counts").get("failed").getIntValue());

        List<JsonNode> errors = lines(send("GET", "/v1/jobs/" + job.get("id").getStringValue() + "/errors",
                caller.key(), null).body());
        assertEquals(List.of("line-2", "line-3", "line-4", "line-5", "line-6", "line-7"),
                errors.stream().map(e -> e.get("custom_id").getStringValue()).toList(), "no bad id is kept");
        assertEquals(List.of("invalid_item", "nul_character", "json_too_deep", "duplicate_json_key", "invalid_unicode",
                        "invalid_item"),
                errors.stream().map(e -> e.get("error").get("code").getStringValue()).toList());
        String nul = errors.get(1).get("error").get("message").getStringValue();
        assertTrue(nul.startsWith("line 3 at /custom_id"), nul);
    }

    @Test
    void aJsonlImageIsDecodedOnceAndQueuedAsItsBytes() throws Exception {
        Model model = ApiServer.readyModel("bulk-bytes");
        byte[] photo = new byte[5000];
        new java.util.Random(5).nextBytes(photo);
        String jsonl = "{\"custom_id\": \"img\", \"image\": \"" + Base64.getEncoder().encodeToString(photo) + "\"}\n"
                + "{\"custom_id\": \"bad\", \"image\": \"***\"}\n"
                + "{\"custom_id\": \"txt\", \"text\": \"a red bag\"}\n";
        HttpResponse<String> response = upload("type=embed&model=" + model.reference(), jsonl, null);
        assertEquals(201, response.statusCode(), response.body());
        String id = json(response.body()).get("id").getStringValue();
        List<JsonNode> errors = lines(send("GET", "/v1/jobs/" + id + "/errors", caller.key(), null).body());
        assertEquals(List.of("bad"), errors.stream().map(e -> e.get("custom_id").getStringValue()).toList());
        assertEquals("invalid_base64", errors.getFirst().get("error").get("code").getStringValue());

        TaskLeases leases = ApiServer.bean(TaskLeases.class);
        JobCodec codec = ApiServer.bean(JobCodec.class);
        List<TaskItem> queued = new ArrayList<>();
        for (ClaimedTask task : leases.claim(UUID.randomUUID(), List.of("embed"), List.of(model.id()), 100)) {
            if (task.jobId().toString().equals(id)) {
                queued.addAll(leases.items(task));
            }
        }
        assertEquals(List.of("img", "txt"), queued.stream().map(TaskItem::customId).toList());
        assertEquals("{\"image_bytes\":5000}", queued.get(0).inputJson(), "no base64 in the JSON");
        assertArrayEquals(photo, queued.get(0).inputBytes());
        ItemSource read = codec.readInput(EmbedJob.CONTRACT, queued.get(0).inputJson(), queued.get(0).inputBytes());
        assertArrayEquals(photo, read.image(), "what the worker reads");
        assertNull(queued.get(1).inputBytes());
        assertEquals("a red bag", codec.readInput(EmbedJob.CONTRACT, queued.get(1).inputJson(), null).text());
    }

    @Test
    void theSameIdempotencyKeyAndRequestReturnTheSameJob() {
        String key = "upload-" + UUID.randomUUID();
        HttpResponse<String> first = upload("type=echo", FILE, key);
        HttpResponse<String> again = upload("type=echo", FILE, key);
        assertEquals(201, first.statusCode());
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(json(first.body()).get("id").getStringValue(), json(again.body()).get("id").getStringValue());
        HttpResponse<String> different = upload("type=echo", FILE + "{\"input\": 5}\n", key);
        assertEquals(409, different.statusCode());
        assertEquals("idempotency_key_reused", json(different.body()).get("code").getStringValue());
        assertEquals(1, send("GET", "/v1/jobs", caller.key(), null).json().get("data").size(),
                "no second job was created");
    }

    @Test
    void inlineJobsAreIdempotentToo() {
        String body = "{\"type\":\"echo\",\"items\":[{\"custom_id\":\"x\",\"input\":1}]}";
        String key = "inline-" + UUID.randomUUID();
        String first = send("POST", "/v1/jobs", caller.key(), body, key).json().get("id").getStringValue();
        ApiServer.Response again = send("POST", "/v1/jobs", caller.key(), body, key);
        assertEquals(200, again.status());
        assertEquals(first, again.json().get("id").getStringValue());
    }

    @Test
    void jobParametersAreCheckedBeforeTheUploadIsRead() {
        assertEquals("unknown_job_type", json(upload("type=resize", FILE, null).body()).get("code").getStringValue());
        assertEquals("missing_collection", json(upload("type=ingest", "{}", null).body()).get("code").getStringValue());
        assertEquals("collection_not_found",
                json(upload("type=ingest&collection=none", "{}", null).body()).get("code").getStringValue());
        assertEquals("model_not_found", json(upload("type=embed&model=nope", "{}", null).body()).get("code").getStringValue());
        assertEquals("missing_labels", json(upload("type=classify&model=nope", "{}", null).body()).get("code").getStringValue());
        assertEquals("empty_job", json(upload("type=echo", "\n\n", null).body()).get("code").getStringValue());
    }

    @Test
    void resultsOfAnotherTenantsJobAreNotFound() {
        String id = json(upload("type=echo", FILE, null).body()).get("id").getStringValue();
        ApiServer.Caller other = ApiServer.newCaller(EnumSet.allOf(Scope.class));
        assertProblem(send("GET", "/v1/jobs/" + id + "/results", other.key(), null), 404, "job_not_found");
        assertProblem(send("GET", "/v1/jobs/" + id + "/errors", other.key(), null), 404, "job_not_found");
    }
}
