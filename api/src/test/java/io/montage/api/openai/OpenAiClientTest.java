package io.montage.api.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnprocessableEntityException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.montage.api.DemoPlatform;
import io.montage.apikeys.Scope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static io.montage.testing.Vectors.cosine;
import static io.montage.api.openai.DemoReferences.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official OpenAI Java client (com.openai:openai-java), unchanged but for its base URL and key, against the
 * api and a real worker serving the demo model: texts, lists, base64, the image extension as docs/api.md shows it,
 * models listed and retrieved, and refusals as the client's typed exceptions. Vectors are checked against what
 * Python computed for the model.
 */
class OpenAiClientTest {

    private static final double SAME = 0.9999; // the references' own tolerance (reference/embeddings.json)
    private static DemoPlatform platform;
    private static OpenAIClient client;

    @BeforeAll
    static void theOfficialClientAgainstTheDemoPlatform() throws InterruptedException {
        platform = DemoPlatform.get();
        client = client(platform.key());
    }

    private static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(platform.url() + "/v1").apiKey(key).maxRetries(0).build();
    }

    private static CreateEmbeddingResponse embed(EmbeddingCreateParams.Builder request) {
        return client.embeddings().create(request.build());
    }

    private static float[] vector(Embedding embedding) {
        return floats(embedding.embedding());
    }

    @Test
    void aTextEmbedsWithTheTenantsDefaultModelAsPythonDoes() {
        CreateEmbeddingResponse response = embed(EmbeddingCreateParams.builder().model("default").input("sneaker"));
        assertEquals(platform.model().reference(), response.model(), "the default model, named");
        assertEquals(1, response.data().size());
        float[] embedding = vector(response.data().getFirst());
        assertEquals(platform.model().manifest().embeddingDim(), embedding.length);
        assertEquals(1.0, Math.sqrt(cosineWithItself(embedding)), 1e-4, "normalised, as the manifest says");
        assertTrue(cosine(embedding, DemoReferences.text("sneaker")) >= SAME);
        assertTrue(response.usage().promptTokens() > 0, response.toString());
    }

    private static double cosineWithItself(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return sum;
    }

    @Test
    void aListEmbedsInItsOrderByModelName() {
        List<String> texts = List.of("sneaker", "Bag!", "zebra");
        CreateEmbeddingResponse response = embed(EmbeddingCreateParams.builder()
                .model(platform.model().name()).inputOfArrayOfStrings(texts));
        assertEquals(texts.size(), response.data().size());
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(i, response.data().get(i).index());
            assertTrue(cosine(vector(response.data().get(i)), DemoReferences.text(texts.get(i))) >= SAME, texts.get(i));
        }
    }

    /**
     * The same embeddings in both encodings: the base64 bytes are the little-endian float32 the client decodes
     * itself. Two requests are two model runs, batched with whatever else runs, so they agree to float rounding.
     */
    @Test
    void base64CarriesTheFloatVectors() {
        List<String> texts = List.of("sneaker", "Bag!");
        CreateEmbeddingResponse floatAnswer = embed(EmbeddingCreateParams.builder().model("default")
                .inputOfArrayOfStrings(texts).encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT));
        CreateEmbeddingResponse base64Answer = embed(EmbeddingCreateParams.builder().model("default")
                .inputOfArrayOfStrings(texts).encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64));
        for (int i = 0; i < texts.size(); i++) {
            String base64 = base64Answer.data().get(i).embeddingValue().asBase64();
            float[] decoded = new float[platform.model().manifest().embeddingDim()];
            ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                    .get(decoded);
            assertArrayEquals(decoded, vector(base64Answer.data().get(i)), 0f, "the client's own decoding");
            assertArrayEquals(vector(floatAnswer.data().get(i)), decoded, 1e-6f, texts.get(i));
            assertTrue(cosine(decoded, DemoReferences.text(texts.get(i))) >= SAME, texts.get(i));
        }
    }

    /** The extension as docs/api.md shows it for this client: the input as a JSON value, images as objects. */
    @Test
    void anImageEmbedsThroughTheDocumentedExtension() {
        String file = "images/fmnist_test00000_label9_ankle-boot.png";
        String dataUrl = DemoReferences.imageDataUrl(file);
        EmbeddingCreateParams params = EmbeddingCreateParams.builder()
                .model("default")
                .input(JsonValue.from(List.of(Map.of("image", dataUrl), "sneaker")))
                .build();
        CreateEmbeddingResponse response = client.embeddings().create(params);
        assertEquals(2, response.data().size());
        assertTrue(cosine(vector(response.data().get(0)), DemoReferences.image(file)) >= SAME, "the photo");
        assertTrue(cosine(vector(response.data().get(1)), DemoReferences.text("sneaker")) >= SAME, "the text");
    }

    @Test
    void modelsAreListedAndRetrievedAsTheClientReadsThem() {
        String id = platform.model().reference();
        List<Model> listed = client.models().list().data();
        assertTrue(listed.stream().anyMatch(m -> m.id().equals(id)), listed.toString());
        Model retrieved = client.models().retrieve(id);
        assertEquals(id, retrieved.id());
        assertEquals("montage", retrieved.ownedBy());
        assertEquals(platform.model().readyAt().getEpochSecond(), retrieved.created());
        assertEquals(id, client.models().retrieve("default").id(), "the tenant's default, under its own id");
        assertEquals(id, client.models().retrieve(platform.model().name()).id(), "a name: its newest version");
    }

    @Test
    void refusalsAreTheClientsTypedExceptions() {
        assertRefused(UnauthorizedException.class, 401, "malformed_api_key", () -> client("mtg_live_typo")
                .embeddings().create(EmbeddingCreateParams.builder().model("default").input("x").build()));
        assertRefused(PermissionDeniedException.class, 403, "insufficient_scope", () ->
                client(platform.newKey(EnumSet.of(Scope.JOBS_READ))).embeddings()
                        .create(EmbeddingCreateParams.builder().model("default").input("x").build()));
        assertRefused(NotFoundException.class, 404, "model_not_found", () -> client.models().retrieve("no-such-model"));
        assertRefused(NotFoundException.class, 404, "model_not_found", () -> embed(EmbeddingCreateParams.builder()
                .model("no-such-model").input("x")));
        assertRefused(UnprocessableEntityException.class, 422, "model_required", () ->
                client(platform.newKey(EnumSet.of(Scope.INFERENCE))).embeddings()
                        .create(EmbeddingCreateParams.builder().model("default").input("x").build()));
        assertRefused(UnprocessableEntityException.class, 422, "unsupported_dimensions", () ->
                embed(EmbeddingCreateParams.builder().model("default").input("x").dimensions(3)));
        OpenAIServiceException tokens = assertRefused(UnprocessableEntityException.class, 422,
                "token_ids_not_supported", () -> embed(EmbeddingCreateParams.builder().model("default")
                        .inputOfArrayOfTokenArrays(List.of(List.of(1L, 2L, 3L)))));
        assertTrue(detail(tokens).contains("check_embedding_ctx_length=False"), detail(tokens));
        assertRefused(OpenAIServiceException.class, 413, "too_many_inputs", () -> embed(EmbeddingCreateParams
                .builder().model("default").inputOfArrayOfStrings(Collections.nCopies(2049, "x"))));
    }

    private static OpenAIServiceException assertRefused(Class<? extends OpenAIServiceException> type, int status,
                                                        String code, Executable call) {
        OpenAIServiceException e = assertThrows(type, call);
        assertEquals(status, e.statusCode(), e.getMessage());
        assertEquals(code, field(e, "code"), e.getMessage());
        return e;
    }

    private static String detail(OpenAIServiceException e) {
        return field(e, "detail");
    }

    /** A field of the problem JSON, as the client hands over the body. */
    private static String field(OpenAIServiceException e, String name) {
        return String.valueOf(e.body().convert(Map.class).get(name));
    }
}
