package io.montage.api.inference;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.api.admission.RequestCosts;
import io.montage.api.auth.TenantPrincipal;
import io.montage.errors.MontageException;
import io.montage.jobs.contracts.EmbedJob;
import io.montage.jobs.contracts.ItemSource;
import io.montage.models.Model;
import io.montage.models.Truncation;
import io.montage.api.openapi.EdgeProblems;
import io.montage.api.openapi.KeyProblems;
import io.montage.api.openapi.SyncInferenceProblems;
import io.montage.api.openapi.NotFoundProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;

/**
 * {@code POST /v1/embeddings}: OpenAI's embeddings API for text, so OpenAI clients work unchanged, extended with
 * images: an element of {@code input} may be {@code {"text": …}} or {@code {"image": "data:image/…;base64,…"}}.
 */
@Tag(name = "Inference")
@EdgeProblems
@KeyProblems
@SyncInferenceProblems
@Controller("/v1/embeddings")
public class EmbeddingsController {

    @Serdeable
    public record Request(@Nullable String model, @Nullable JsonNode input, @Nullable String encodingFormat,
                          @Nullable Integer dimensions, @Nullable String user, @Nullable String truncate) {
    }

    @Serdeable
    public record Embedding(String object, int index, Object embedding) {
    }

    @Serdeable
    public record Usage(int promptTokens, int totalTokens) {
    }

    /** {@code truncated_inputs}: texts whose tokens past the model's context were dropped ({@code truncate: "end"}). */
    @Serdeable
    public record Response(String object, List<Embedding> data, String model, Usage usage, int truncatedInputs) {
    }

    private final SyncInference inference;
    private final InferenceLimits limits;
    private final RequestCosts costs;

    public EmbeddingsController(SyncInference inference, InferenceLimits limits, RequestCosts costs) {
        this.inference = inference;
        this.limits = limits;
        this.costs = costs;
    }

    @Operation(operationId = "createEmbeddings", summary = "Embed texts and images (OpenAI-compatible)")
    @NotFoundProblem
    @Post
    @Secured("inference")
    public Response embed(Authentication auth, @Body Request request) throws InterruptedException {
        return embed(auth, request, () -> inputs(request.input()));
    }

    /**
     * The request with its inputs read as items by {@code items} (a form's parts; the request's own input is then
     * ignored), once the model is known: an unknown model is refused before any image is decoded.
     */
    Response embed(Authentication auth, Request request, Supplier<List<ItemSource>> inputs)
            throws InterruptedException {
        String format = request.encodingFormat() == null ? "float" : request.encodingFormat();
        if (!format.equals("float") && !format.equals("base64")) {
            throw MontageException.invalid("invalid_encoding_format", "encoding_format must be float or base64");
        }
        TenantPrincipal tenant = TenantPrincipal.of(auth);
        Model model = inference.model(tenant.tenantId(), request.model());
        if (request.dimensions() != null && request.dimensions() != model.manifest().embeddingDim()) {
            throw MontageException.invalid("unsupported_dimensions", model.reference() + " produces "
                    + model.manifest().embeddingDim() + " dimensions and cannot shorten them; omit dimensions");
        }
        Truncation truncation = Truncation.parse(request.truncate());
        List<ItemSource> items = inputs.get();
        int images = (int) items.stream().filter(item -> item.image() != null).count();
        costs.embeddings(images, items.size() - images);
        SyncInference.Outcome<EmbedJob.Result> outcome = inference.run(tenant.tenantId(), model, EmbedJob.CONTRACT,
                new EmbedJob.Params(truncation.wireName()), items, limits.maxEmbeddingInputs());
        List<Embedding> data = new ArrayList<>();
        int tokens = 0;
        int truncated = 0;
        for (int i = 0; i < outcome.results().size(); i++) {
            EmbedJob.Result result = outcome.results().get(i);
            tokens += result.tokens();
            truncated += result.wasTruncated() ? 1 : 0;
            data.add(new Embedding("embedding", i, encode(result.embedding(), format)));
        }
        return new Response("list", data, model.reference(), new Usage(tokens, tokens), truncated);
    }

    /** Each input as the item the worker reads: a text or an image's bytes. */
    private List<ItemSource> inputs(JsonNode input) {
        if (input == null || input.isNull()) {
            throw MontageException.invalid("missing_input", "input is required: a string, or an array of strings "
                    + "and {\"text\": …} / {\"image\": …} objects");
        }
        refuseTokenIds(input, "input"); // [1, 2, 3]: one text's tokens; [[1, 2, 3]] is caught per element below
        List<JsonNode> elements = new ArrayList<>();
        if (input.isArray()) {
            input.values().forEach(elements::add);
        } else {
            elements.add(input);
        }
        List<ItemSource> items = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            refuseTokenIds(elements.get(i), "input[" + i + "]");
            items.add(InferenceInputs.item(elements.get(i), "input[" + i + "]", limits));
        }
        return items;
    }

    /**
     * OpenAI's API also takes texts its client has already tokenized: {@code [1, 2, 3]} or {@code [[1, 2, 3]]}. Token
     * ids of OpenAI's tokenizer mean nothing to another model's, so they are refused, with the setting that makes
     * LangChain (which tokenizes by default, to split long texts) send the texts themselves.
     */
    private static void refuseTokenIds(JsonNode element, String where) {
        boolean tokenIds = element.isNumber() || element.isArray() && element.size() > 0
                && StreamSupport.stream(element.values().spliterator(), false)
                .allMatch(JsonNode::isNumber);
        if (tokenIds) {
            throw MontageException.invalid("token_ids_not_supported", where + " is token ids; send the texts "
                    + "themselves (the model tokenizes them with its own tokenizer). LangChain's OpenAIEmbeddings "
                    + "sends token ids unless created with check_embedding_ctx_length=False");
        }
    }

    private static Object encode(float[] values, String format) {
        if (format.equals("float")) {
            return values;
        }
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return Base64.getEncoder().encodeToString(bytes.array()); // OpenAI's format: little-endian float32
    }
}
