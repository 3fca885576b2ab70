package io.montage.api.inference;

import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.testing.FakeBundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import io.montage.workers.WorkerRegistry;

import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.UUID;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the api decides before any worker is involved: model resolution, input checks and limits, and the
 * immediate 503 when no worker serves the model. Inference itself is covered end to end with real workers in the
 * worker module and the smoke test.
 */
class InferenceRequestsTest {

    private static final ApiServer.Caller CALLER = ApiServer.newCaller(EnumSet.allOf(Scope.class));
    private static Model model;

    @BeforeAll
    static void aReadyModelThatNoWorkerServes() throws Exception {
        model = ApiServer.readyModel("unserved");
    }

    private static String png() {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[]{(byte) 0x89, 'P', 'N', 'G'});
    }

    @Test
    void readyModelsAreListedInOpenAisShape() {
        var list = send("GET", "/v1/models", CALLER.key(), null).json();
        assertEquals("list", list.get("object").getStringValue());
        boolean listed = false;
        for (var m : list.get("data").values()) {
            if (m.get("id").getStringValue().equals(model.reference())) {
                listed = true;
                assertEquals("model", m.get("object").getStringValue());
                assertEquals(8, m.get("embedding_dim").getIntValue());
                assertEquals("pytorch", m.get("engine").getStringValue(), "a bundle without an engine is TorchScript");
                assertEquals("fp32", m.get("precision").getStringValue());
                assertTrue(m.get("variant") == null || m.get("variant").isNull(), "not a variant: " + m);
            }
        }
        assertTrue(listed, list.toString());
    }

    /** The demo's int8 variant (deploy/models/make_variants.py): listed with its precision, derivation and fidelity. */
    @Test
    void aVariantIsListedWithWhatItDerivesFromAndItsMeasuredFidelity() {
        ModelRegistry registry = ApiServer.bean(ModelRegistry.class);
        Model int8 = registry.register(java.nio.file.Path.of("..", "deploy", "models", "fashion-clip-mini-int8")
                .toAbsolutePath().normalize().toString());
        registry.markReady(int8.id());
        var listed = java.util.stream.StreamSupport.stream(send("GET", "/v1/models", CALLER.key(), null).json()
                        .get("data").values().spliterator(), false)
                .filter(m -> m.get("id").getStringValue().equals("fashion-clip-mini@1.0.0-int8")).findFirst()
                .orElseThrow();
        assertEquals("int8", listed.get("precision").getStringValue());
        assertEquals("pytorch", listed.get("engine").getStringValue(), "an int8 variant is TorchScript");
        var variant = listed.get("variant");
        assertEquals("1.0.0", variant.get("of").get("version").getStringValue());
        assertEquals(int8.manifest().variant().of().modelSha256(), variant.get("of").get("model_sha256")
                .getStringValue());
        assertEquals(int8.manifest().variant().fidelity().imageCosineMin(),
                variant.get("fidelity").get("image_cosine_min").getDoubleValue());
        assertTrue(variant.get("speed").get("items_per_second").get("text").get("8").getDoubleValue() > 0,
                listed.toString());
    }

    @Test
    void anOnnxModelIsListedWithItsEngine() throws Exception {
        Model onnx = FakeBundle.registerReadyOnnx(ApiServer.bean(ModelRegistry.class), "onnx");
        var listed = listed(onnx);
        assertEquals("onnxruntime", listed.get("engine").getStringValue());
        assertEquals("clip", listed.get("kind").getStringValue());
        assertEquals(8, listed.get("embedding_dim").getIntValue());
    }

    /** The model's entry in GET /v1/models. */
    private static io.micronaut.json.tree.JsonNode listed(Model model) {
        return java.util.stream.StreamSupport.stream(send("GET", "/v1/models", CALLER.key(), null).json()
                        .get("data").values().spliterator(), false)
                .filter(m -> m.get("id").getStringValue().equals(model.reference())).findFirst().orElseThrow();
    }

    @Test
    void aFusedModelIsListedWithItsKindAndOutputAndServesOnlyPredict() throws Exception {
        Model fused = FakeBundle.registerReadyFused(ApiServer.bean(ModelRegistry.class), "fused");
        var listed = listed(fused);
        assertEquals("fused", listed.get("kind").getStringValue());
        assertEquals("labels", listed.get("output").get("type").getStringValue());
        assertEquals(2, listed.get("output").get("labels").size());
        assertTrue(listed.get("embedding_dim") == null || listed.get("embedding_dim").isNull(), listed.toString());

        String image = Base64.getEncoder().encodeToString(new byte[]{(byte) 0x89, 'P', 'N', 'G'});
        String pair = "{\"image\":\"" + image + "\",\"text\":\"a cat\"}";
        String f = "\"model\":\"" + fused.reference() + "\"";
        assertProblem(send("POST", "/v1/embeddings", CALLER.key(), "{" + f + ",\"input\":\"x\"}"),
                422, "model_kind_mismatch");
        // every clip endpoint refuses it by name, before anything is queued or any index is made
        assertProblem(send("POST", "/v1/classify", CALLER.key(), "{" + f + ",\"images\":[\"" + image
                + "\"],\"labels\":[\"cat\",\"dog\"]}"), 422, "model_kind_mismatch");
        assertProblem(send("POST", "/v1/similarity", CALLER.key(), "{" + f + ",\"images\":[\"" + image
                + "\"],\"texts\":[\"a cat\"]}"), 422, "model_kind_mismatch");
        String collection = "fused-" + UUID.randomUUID().toString().substring(0, 8);
        assertProblem(send("POST", "/v1/collections", CALLER.key(), "{\"name\":\"" + collection + "\"," + f + "}"),
                422, "model_kind_mismatch");
        assertEquals(201, send("POST", "/v1/collections", CALLER.key(), "{\"name\":\"" + collection
                + "\",\"model\":\"" + model.reference() + "\"}").status());
        assertProblem(send("POST", "/v1/collections/" + collection + "/model", CALLER.key(), "{" + f + "}"),
                422, "model_kind_mismatch");
        assertProblem(send("POST", "/v1/predict", CALLER.key(), "{\"model\":\"" + model.reference()
                + "\",\"inputs\":[" + pair + "]}"), 422, "model_kind_mismatch");
        assertProblem(send("POST", "/v1/predict", CALLER.key(), "{" + f + "}"), 422, "missing_inputs");
        assertProblem(send("POST", "/v1/predict", CALLER.key(), "{" + f + ",\"inputs\":[{\"image\":\"" + image
                + "\"}]}"), 422, "missing_text");
        assertProblem(send("POST", "/v1/predict", CALLER.key(), "{" + f + ",\"inputs\":[{\"text\":\"a cat\"}]}"),
                422, "missing_image");
        assertProblem(send("POST", "/v1/predict", CALLER.key(), "{" + f + ",\"inputs\":[{\"image\":\"***\","
                + "\"text\":\"a cat\"}]}"), 422, "invalid_base64");
        assertProblem(send("POST", "/v1/predict", CALLER.key(), "{" + f + ",\"inputs\":[" + pair + "],\"top_k\":0}"),
                422, "invalid_top_k");
        assertProblem(send("POST", "/v1/predict", CALLER.key(), "{" + f + ",\"inputs\":[" + pair + "],\"top_k\":3}"),
                422, "invalid_top_k");
        String many = String.join(",", java.util.Collections.nCopies(
                ApiServer.bean(InferenceLimits.class).maxItems() + 1, pair));
        assertProblem(send("POST", "/v1/predict", CALLER.key(), "{" + f + ",\"inputs\":[" + many + "]}"),
                422, "request_too_costly"); // 257 image encodings: the cost cap answers before the input limit
        assertProblem(send("POST", "/v1/predict", CALLER.key(), "{" + f + ",\"inputs\":[" + pair + "],\"top_k\":2}"),
                503, "no_worker_for_model");
    }

    @Test
    void whenNoWorkerServesTheModelTheAnswerIs503AtOnce() {
        long start = System.nanoTime();
        assertProblem(send("POST", "/v1/embeddings", CALLER.key(),
                "{\"model\":\"" + model.reference() + "\",\"input\":\"hello\"}"), 503, "no_worker_for_model");
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "answered without waiting for a timeout");
    }

    @Test
    void aRequestThatOutlivesItsTimeoutAnswers504AndLeavesAJobToPoll() {
        // a worker that says it serves the model but never takes work: a stuck or overloaded node
        UUID stuck = UUID.randomUUID();
        WorkerRegistry workers = ApiServer.bean(WorkerRegistry.class);
        workers.register(stuck, "stuck-host", 1, List.of("embed", "model:" + model.id()));
        try {
            var response = send("POST", "/v1/embeddings", CALLER.key(),
                    "{\"model\":\"" + model.reference() + "\",\"input\":\"hello\"}");
            var problem = assertProblem(response, 504, "inference_timeout");
            Matcher job = Pattern.compile("job ([0-9a-f-]{36})").matcher(problem.get("detail").getStringValue());
            assertTrue(job.find(), problem.toString());
            var polled = send("GET", "/v1/jobs/" + job.group(1), CALLER.key(), null).json();
            assertEquals("queued", polled.get("status").getStringValue(), "the job goes on, waiting for a worker");
        } finally {
            workers.stopped(stuck);
        }
    }

    @Test
    void aTenantsDefaultModelIsUsedWhenTheRequestNamesNone() {
        ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));
        ApiServer.bean(ModelRegistry.class).setTenantDefault(caller.tenant().id(), model.id());
        // resolved to the default: the request gets as far as asking for a worker
        assertProblem(send("POST", "/v1/embeddings", caller.key(), "{\"input\":\"x\"}"), 503, "no_worker_for_model");
    }

    @Test
    void anUnknownModelIs404AndNoModelWithoutADefaultIs422() {
        assertProblem(send("POST", "/v1/embeddings", CALLER.key(), "{\"model\":\"nope\",\"input\":\"x\"}"),
                404, "model_not_found");
        assertProblem(send("POST", "/v1/embeddings", CALLER.key(), "{\"input\":\"x\"}"), 422, "model_required");
    }

    @Test
    void embeddingInputsAreChecked() {
        String m = "\"model\":\"" + model.reference() + "\"";
        assertProblem(send("POST", "/v1/embeddings", CALLER.key(), "{" + m + "}"), 422, "missing_input");
        assertProblem(send("POST", "/v1/embeddings", CALLER.key(), "{" + m + ",\"input\":[[\"a\"]]}"),
                422, "unsupported_input");
        assertProblem(send("POST", "/v1/embeddings", CALLER.key(), "{" + m + ",\"input\":[{\"image\":\"***\"}]}"),
                422, "invalid_base64");
        assertProblem(send("POST", "/v1/embeddings", CALLER.key(), "{" + m + ",\"input\":\"x\",\"dimensions\":4}"),
                422, "unsupported_dimensions");
        assertProblem(send("POST", "/v1/embeddings", CALLER.key(), "{" + m + ",\"input\":\"x\",\"encoding_format\":\"hex\"}"),
                422, "invalid_encoding_format");
        assertProblem(send("POST", "/v1/embeddings", CALLER.key(),
                "{" + m + ",\"input\":\"" + "x".repeat(10_001) + "\"}"), 422, "text_too_long");
        assertProblem(send("POST", "/v1/embeddings", CALLER.key(), "{" + m + ",\"input\":\"x\",\"truncate\":\"start\"}"),
                422, "invalid_truncate");
        assertProblem(send("POST", "/v1/embeddings", CALLER.key(), "{" + m + ",\"input\":\"  \"}"), 422, "empty_text");
    }

    /** OpenAI's limit, 2,048 inputs (LangChain sends 1,000 at a time); more is 413, images stay under their cap. */
    @Test
    void embeddingsTakeUpTo2048Inputs() {
        String m = "\"model\":\"" + model.reference() + "\"";
        int limit = ApiServer.bean(InferenceLimits.class).maxEmbeddingInputs();
        assertEquals(2048, limit);
        // every check passed: the request gets as far as asking for a worker
        assertProblem(send("POST", "/v1/embeddings", CALLER.key(), "{" + m + ",\"input\":" + texts(limit) + "}"),
                503, "no_worker_for_model");
        var tooMany = assertProblem(send("POST", "/v1/embeddings", CALLER.key(),
                "{" + m + ",\"input\":" + texts(limit + 1) + "}"), 413, "too_many_inputs");
        assertTrue(tooMany.get("detail").getStringValue().contains("at most 2048"), tooMany.toString());
        String image = "{\"image\":\"" + png() + "\"}";
        assertProblem(send("POST", "/v1/embeddings", CALLER.key(), "{" + m + ",\"input\":["
                + String.join(",", java.util.Collections.nCopies(257, image)) + "]}"), 422, "request_too_costly");
    }

    private static String texts(int n) {
        StringBuilder texts = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            texts.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        return texts.append(']').toString();
    }

    /** Token ids (what LangChain's OpenAIEmbeddings sends by default) are refused with the setting to change. */
    @Test
    void tokenIdsAreRefusedWithTheLangChainSetting() {
        String m = "\"model\":\"" + model.reference() + "\"";
        for (String input : new String[]{"[[1,2,3]]", "[1,2,3]", "[[5],[6,7]]", "42", "[\"a text\",[1,2]]"}) {
            var problem = assertProblem(send("POST", "/v1/embeddings", CALLER.key(),
                    "{" + m + ",\"input\":" + input + "}"), 422, "token_ids_not_supported");
            assertTrue(problem.get("detail").getStringValue().contains("check_embedding_ctx_length=False"),
                    input + ": " + problem);
        }
    }

    /** OpenAI's clients always send a model: "default" says "the tenant's default", as leaving it out does. */
    @Test
    void theModelDefaultIsTheTenantsDefault() {
        ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));
        String body = "{\"model\":\"default\",\"input\":\"x\"}";
        assertProblem(send("POST", "/v1/embeddings", caller.key(), body), 422, "model_required");
        assertProblem(send("GET", "/v1/models/default", caller.key(), null), 404, "model_not_found");
        ApiServer.bean(ModelRegistry.class).setTenantDefault(caller.tenant().id(), model.id());
        assertProblem(send("POST", "/v1/embeddings", caller.key(), body), 503, "no_worker_for_model");
        assertEquals(model.reference(), send("GET", "/v1/models/default", caller.key(), null).json()
                .get("id").getStringValue(), "the default model, under its own id");
        // another tenant's default is its own
        assertProblem(send("GET", "/v1/models/default", CALLER.key(), null), 404, "model_not_found");
    }

    @Test
    void aModelIsRetrievedByItsIdOrName() {
        var retrieved = send("GET", "/v1/models/" + model.reference(), CALLER.key(), null);
        assertEquals(200, retrieved.status(), retrieved.body());
        var json = retrieved.json();
        assertEquals(model.reference(), json.get("id").getStringValue());
        assertEquals("model", json.get("object").getStringValue());
        assertEquals("montage", json.get("owned_by").getStringValue());
        assertEquals(model.readyAt().getEpochSecond(), json.get("created").getLongValue());
        assertEquals(8, json.get("embedding_dim").getIntValue());
        assertEquals(model.reference(), send("GET", "/v1/models/" + model.name(), CALLER.key(), null).json()
                .get("id").getStringValue(), "a name alone is its newest ready version");
        assertProblem(send("GET", "/v1/models/no-such-model", CALLER.key(), null), 404, "model_not_found");
        assertProblem(send("GET", "/v1/models/" + model.name() + "@0.0.0-never", CALLER.key(), null),
                404, "model_not_found");
        assertProblem(send("GET", "/v1/models/" + model.reference(), null, null), 401, "missing_api_key");
    }

    @Test
    void classifyAndSimilarityInputsAreChecked() {
        String m = "\"model\":\"" + model.reference() + "\"";
        assertProblem(send("POST", "/v1/classify", CALLER.key(), "{" + m + ",\"images\":[\"" + png() + "\"]}"),
                422, "missing_labels");
        assertProblem(send("POST", "/v1/classify", CALLER.key(),
                "{" + m + ",\"images\":[\"" + png() + "\"],\"labels\":[\"a\",\"a\"]}"), 422, "duplicate_labels");
        assertProblem(send("POST", "/v1/classify", CALLER.key(),
                "{" + m + ",\"images\":[\"" + png() + "\"],\"labels\":[\"a\"],\"templates\":[\"no slot\"]}"),
                422, "invalid_template");
        assertProblem(send("POST", "/v1/classify", CALLER.key(), "{" + m + ",\"labels\":[\"a\"]}"),
                422, "missing_images");
        assertProblem(send("POST", "/v1/similarity", CALLER.key(), "{" + m + ",\"images\":[\"data:text/plain,hi\"],"
                + "\"texts\":[\"a\"]}"), 422, "invalid_data_url");
    }

    @Test
    void inferenceNeedsTheInferenceScope() {
        ApiServer.Caller reader = ApiServer.newCaller(EnumSet.of(Scope.JOBS_READ));
        assertProblem(send("POST", "/v1/embeddings", reader.key(), "{\"input\":\"x\"}"), 403, "insufficient_scope");
    }
}
