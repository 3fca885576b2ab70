package io.montage.api.inference;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.api.admission.RequestCosts;
import io.montage.api.auth.TenantPrincipal;
import io.montage.jobs.contracts.ItemSource;
import io.montage.jobs.contracts.SimilarityJob;
import io.montage.models.Model;
import io.montage.api.openapi.EdgeProblems;
import io.montage.api.openapi.KeyProblems;
import io.montage.api.openapi.SyncInferenceProblems;
import io.montage.api.openapi.NotFoundProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;
import java.util.function.Supplier;

/** {@code POST /v1/similarity}: the cosine similarity of every image with every text, as a matrix. */
@Tag(name = "Inference")
@EdgeProblems
@KeyProblems
@SyncInferenceProblems
@Controller("/v1/similarity")
public class SimilarityController {

    @Serdeable
    public record Request(@Nullable String model, @Nullable List<String> images, @Nullable List<String> texts) {
    }

    /** {@code scores[i][j]}: image i with text j. */
    @Serdeable
    public record Response(String object, String model, List<float[]> scores) {
    }

    private final SyncInference inference;
    private final InferenceLimits limits;
    private final RequestCosts costs;

    public SimilarityController(SyncInference inference, InferenceLimits limits, RequestCosts costs) {
        this.inference = inference;
        this.limits = limits;
        this.costs = costs;
    }

    @Operation(operationId = "similarity", summary = "Similarity of texts and images to each other")
    @NotFoundProblem
    @Post
    @Secured("inference")
    public Response similarity(Authentication auth, @Body Request request) throws InterruptedException {
        return similarity(auth, request, () -> InferenceInputs.images(request.images(), limits));
    }

    /** The request with its images read as items by {@code read} (a form's files; the request's own are ignored). */
    Response similarity(Authentication auth, Request request, Supplier<List<ItemSource>> read)
            throws InterruptedException {
        TenantPrincipal tenant = TenantPrincipal.of(auth);
        List<String> texts = InferenceInputs.texts(request.texts(), "texts", limits);
        Model model = inference.model(tenant.tenantId(), request.model());
        List<ItemSource> images = InferenceInputs.requireImages(read.get());
        costs.similarity(images.size(), texts.size());
        SyncInference.Outcome<SimilarityJob.Result> outcome = inference.run(tenant.tenantId(), model,
                SimilarityJob.CONTRACT, new SimilarityJob.Params(texts), images);
        return new Response("similarity", model.reference(),
                outcome.results().stream().map(SimilarityJob.Result::scores).toList());
    }
}
