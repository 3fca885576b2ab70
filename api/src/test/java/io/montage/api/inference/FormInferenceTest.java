package io.montage.api.inference;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import io.montage.jobs.ItemCounts;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.testing.FakeBundle;
import io.montage.testing.TestDatabase;
import io.montage.workers.WorkerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multipart forms on the sync inference endpoints: images arrive as binary file parts and are queued byte for byte,
 * in the order of the form, with the same checks as JSON bodies. A worker that advertises the model but never
 * claims keeps each request's job queued (answered 504), so its stored inputs can be read back.
 */
class FormInferenceTest {

    private static final ApiServer.Caller CALLER = ApiServer.newCaller(EnumSet.allOf(Scope.class));
    private static final UUID STUCK_WORKER = UUID.randomUUID();
    private static Model model;
    private static Model fused;

    @BeforeAll
    static void aModelServedByAWorkerThatNeverClaims() throws Exception {
        model = ApiServer.readyModel("form");
        fused = FakeBundle.registerReadyFused(ApiServer.bean(ModelRegistry.class), "form-fused");
        ApiServer.bean(WorkerRegistry.class).register(STUCK_WORKER, "stuck-host", 1,
                List.of("embed", "classify", "similarity", "predict", "model:" + model.id(), "model:" + fused.id()));
    }

    /** Alive for every test however slowly the class runs (a worker is live for 30 s after its last beat). */
    @BeforeEach
    void theWorkerBeats() {
        ApiServer.bean(WorkerRegistry.class).heartbeat(STUCK_WORKER, ItemCounts.NONE);
    }

    @AfterAll
    static void stopTheWorker() {
        ApiServer.bean(WorkerRegistry.class).stopped(STUCK_WORKER);
    }

    /** A multipart/form-data body built by hand, as curl -F sends it. */
    private static final class Form {
        private final String boundary = "----montage" + UUID.randomUUID();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Form field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        Form file(String name, String filename, byte[] bytes) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            body.writeBytes(bytes);
            write("\r\n");
            return this;
        }

        ApiServer.Response post(String path) {
            write("--" + boundary + "--\r\n");
            return ApiServer.sendBytes("POST", path, CALLER.key(), "multipart/form-data; boundary=" + boundary,
                    body.toByteArray());
        }

        private void write(String s) {
            body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] image(int seed) {
        byte[] bytes = new byte[3000 + seed];
        new java.util.Random(seed).nextBytes(bytes);
        bytes[0] = (byte) 0x89; // any bytes: the api checks size and presence, decoding is the worker's job
        return bytes;
    }

    /** An item as stored for the workers: its JSON input, the bytes beside it, and the JSON's size in the row. */
    private record Queued(JsonNode json, byte[] bytes, int jsonBytes) {
        JsonNode get(String field) {
            return json.get(field);
        }
    }

    /** The inputs of the job a 504 names, as stored for the workers, in order. */
    private static List<Queued> queuedInputs(ApiServer.Response timedOut) throws Exception {
        JsonNode problem = assertProblem(timedOut, 504, "inference_timeout");
        Matcher job = Pattern.compile("job ([0-9a-f-]{36})").matcher(problem.get("detail").getStringValue());
        assertTrue(job.find(), problem.toString());
        List<Queued> inputs = new ArrayList<>();
        try (Connection c = TestDatabase.ownerConnection()) {
            try (PreparedStatement tenant = c.prepareStatement("SELECT set_config('montage.tenant_id', ?, false)")) {
                tenant.setString(1, CALLER.tenant().id().toString());
                tenant.execute();
            }
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT input::text, input_bytes, pg_column_size(input) FROM items WHERE job_id = ?::uuid ORDER BY seq")) {
                select.setString(1, job.group(1));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        inputs.add(new Queued(new ApiServer.Response(200, "application/json", rs.getString(1)).json(),
                                rs.getBytes(2), rs.getInt(3)));
                    }
                }
            }
        }
        return inputs;
    }

    /** The image of a queued item: its bytes, which the JSON only counts (never base64 in the JSON). */
    private static byte[] imageOf(Queued input) {
        assertEquals(null, input.get("image"), input.json().toString());
        assertEquals(input.bytes().length, input.get("image_bytes").getIntValue(), input.json().toString());
        return input.bytes();
    }

    @Test
    void aJsonImageIsDecodedOnceAndQueuedAsItsBytes() throws Exception {
        byte[] photo = image(7);
        List<Queued> inputs = queuedInputs(ApiServer.send("POST", "/v1/embeddings", CALLER.key(),
                "{\"model\":\"" + model.reference() + "\",\"input\":[{\"image\":\"data:image/png;base64,"
                        + Base64.getMimeEncoder().encodeToString(photo).replace("\r\n", "\\n") + "\"}]}")); // line-wrapped
        assertEquals(1, inputs.size());
        assertArrayEquals(photo, imageOf(inputs.getFirst()), "the decoded bytes, not the base64 text");
        assertTrue(inputs.getFirst().jsonBytes() < 64, "the JSON holds no image: " + inputs.getFirst().jsonBytes());
    }

    @Test
    void embeddingsTakeTextFieldsAndImageFilesInTheOrderSent() throws Exception {
        byte[] first = image(1);
        byte[] second = image(2);
        List<Queued> inputs = queuedInputs(new Form().field("model", model.reference()).file("input", "a.png", first)
                .field("input", "a red bag").file("input", "b.jpg", second).post("/v1/embeddings"));
        assertEquals(3, inputs.size());
        assertArrayEquals(first, imageOf(inputs.get(0)), "the file's bytes, unchanged");
        assertEquals("a red bag", inputs.get(1).get("text").getStringValue());
        assertArrayEquals(second, imageOf(inputs.get(2)));
    }

    @Test
    void classifyAndSimilarityTakeImageFilesWithRepeatedTextFields() throws Exception {
        byte[] photo = image(3);
        List<Queued> classified = queuedInputs(new Form().field("model", model.reference())
                .field("labels", "bag").field("labels", "sneaker").file("image", "p.png", photo).post("/v1/classify"));
        assertEquals(1, classified.size());
        assertArrayEquals(photo, imageOf(classified.getFirst()));
        List<Queued> compared = queuedInputs(new Form().field("model", model.reference()).field("texts", "a bag")
                .file("image", "p.png", photo).file("image", "q.png", image(4)).post("/v1/similarity"));
        assertEquals(2, compared.size());
    }

    @Test
    void predictPairsTheNthImageFileWithTheNthTextField() throws Exception {
        byte[] first = image(8);
        byte[] second = image(9);
        List<Queued> inputs = queuedInputs(new Form().field("model", fused.reference()).file("image", "a.png", first)
                .field("text", "A brown hen.").file("image", "b.png", second).field("text", "A koala.")
                .field("top_k", "1").post("/v1/predict"));
        assertEquals(2, inputs.size());
        assertArrayEquals(first, imageOf(inputs.get(0)), "the file's bytes, unchanged");
        assertEquals("A brown hen.", inputs.get(0).get("text").getStringValue());
        assertArrayEquals(second, imageOf(inputs.get(1)));
        assertEquals("A koala.", inputs.get(1).get("text").getStringValue());
        List<Queued> json = queuedInputs(ApiServer.send("POST", "/v1/predict", CALLER.key(),
                "{\"model\":\"" + fused.reference() + "\",\"inputs\":[{\"image\":\""
                        + Base64.getEncoder().encodeToString(first) + "\",\"text\":\"A hen.\"}]}"));
        assertArrayEquals(first, imageOf(json.getFirst()), "JSON inputs are queued the same way");
    }

    @Test
    void predictFormsAreCheckedLikeJsonBodies() {
        assertProblem(new Form().field("model", fused.reference()).file("image", "a.png", image(10))
                .post("/v1/predict"), 422, "mismatched_inputs");
        assertProblem(new Form().field("model", fused.reference()).field("text", "a hen").post("/v1/predict"),
                422, "mismatched_inputs");
        assertProblem(new Form().field("model", fused.reference()).file("image", "a.png", image(10))
                .field("text", "a hen").field("top_k", "all").post("/v1/predict"), 422, "invalid_form_field");
        assertProblem(new Form().field("model", fused.reference()).file("image", "a.png", image(10))
                .field("text", "a hen").field("top_k", "3").post("/v1/predict"), 422, "invalid_top_k");
        assertProblem(new Form().field("model", fused.reference()).field("image", "not a file").field("text", "a hen")
                .post("/v1/predict"), 422, "invalid_form_field");
        assertProblem(new Form().field("model", model.reference()).file("image", "a.png", image(10))
                .field("text", "a hen").post("/v1/predict"), 422, "model_kind_mismatch");
        assertProblem(new Form().field("model", fused.reference()).file("image", "a.png", image(10))
                .field("text", "nul \u0000 inside").post("/v1/predict"), 422, "nul_character");
    }

    @Test
    void formsAreCheckedLikeJsonBodies() {
        assertProblem(new Form().field("model", model.reference()).field("imput", "typo").post("/v1/embeddings"),
                422, "unknown_form_field");
        assertProblem(new Form().field("model", model.reference()).post("/v1/embeddings"), 422, "missing_input");
        assertProblem(new Form().field("model", model.reference()).field("labels", "bag").field("image", "not a file")
                .post("/v1/classify"), 422, "invalid_form_field");
        assertProblem(new Form().field("model", model.reference()).file("labels", "l.txt", "bag".getBytes())
                .file("image", "p.png", image(5)).post("/v1/classify"), 422, "invalid_form_field");
        assertProblem(new Form().field("model", model.reference()).file("image", "p.png", image(6))
                .post("/v1/classify"), 422, "missing_labels");
        assertProblem(new Form().field("model", model.reference()).field("input", "x").field("dimensions", "many")
                .post("/v1/embeddings"), 422, "invalid_form_field");
        assertProblem(new Form().field("model", "nope").field("input", "x").post("/v1/embeddings"),
                404, "model_not_found");
        assertProblem(new Form().field("model", model.reference()).field("input", "nul \u0000 inside")
                .post("/v1/embeddings"), 422, "nul_character");
    }

    @Test
    void anImageFileOverTheImageLimitIs413() {
        int limit = ApiServer.bean(InferenceLimits.class).maxImageBytes();
        var response = new Form().field("model", model.reference()).file("input", "huge.png", new byte[limit + 1])
                .post("/v1/embeddings");
        assertEquals(413, response.status(), response.body());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
    }

    @Test
    void formsNeedTheInferenceScope() {
        ApiServer.Caller reader = ApiServer.newCaller(EnumSet.of(Scope.JOBS_READ));
        String boundary = "b";
        var response = ApiServer.sendBytes("POST", "/v1/embeddings", reader.key(),
                "multipart/form-data; boundary=" + boundary,
                ("--b\r\nContent-Disposition: form-data; name=\"input\"\r\n\r\nx\r\n--b--\r\n").getBytes());
        assertProblem(response, 403, "insufficient_scope");
    }
}
