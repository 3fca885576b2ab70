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
import io.montage.errors.MontageException;
import io.montage.jobs.contracts.ClassifyJob;
import io.montage.jobs.contracts.ItemSource;
import io.montage.models.Model;
import io.montage.api.openapi.EdgeProblems;
import io.montage.api.openapi.KeyProblems;
import io.montage.api.openapi.SyncInferenceProblems;
import io.montage.api.openapi.NotFoundProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code POST /v1/classify}: zero-shot classification. Each image is scored against the candidate labels (each
 * label put into the prompt templates, {@code {}} standing for the label; the model's own templates when none are
 * given) and gets every label ranked with its probability.
 */
@Tag(name = "Inference")
@EdgeProblems
@KeyProblems
@SyncInferenceProblems
@Controller("/v1/classify")
public class ClassifyController {

    @Serdeable
    public record Request(@Nullable String model, @Nullable List<String> images, @Nullable List<String> labels,
                          @Nullable List<String> templates) {
    }

    @Serdeable
    public record Classification(int index, List<ClassifyJob.Ranked> labels) {
    }

    @Serdeable
    public record Response(String object, String model, List<Classification> data) {
    }

    private final SyncInference inference;
    private final InferenceLimits limits;
    private final RequestCosts costs;

    public ClassifyController(SyncInference inference, InferenceLimits limits, RequestCosts costs) {
        this.inference = inference;
        this.limits = limits;
        this.costs = costs;
    }

    @Operation(operationId = "classify", summary = "Zero-shot classification of images against labels")
    @NotFoundProblem
    @Post
    @Secured("inference")
    public Response classify(Authentication auth, @Body Request request) throws InterruptedException {
        return classify(auth, request, () -> InferenceInputs.images(request.images(), limits));
    }

    /** The request with its images read as items by {@code read} (a form's files; the request's own are ignored). */
    Response classify(Authentication auth, Request request, Supplier<List<ItemSource>> read)
            throws InterruptedException {
        TenantPrincipal tenant = TenantPrincipal.of(auth);
        List<String> labels = InferenceInputs.texts(request.labels(), "labels", limits);
        if (labels.stream().distinct().count() != labels.size()) {
            throw MontageException.invalid("duplicate_labels", "labels must be distinct");
        }
        List<String> templates = InferenceInputs.templates(request.templates(), limits);
        Model model = inference.model(tenant.tenantId(), request.model());
        List<ItemSource> images = InferenceInputs.requireImages(read.get());
        costs.classify(images.size(), labels.size(), InferenceInputs.templateCount(templates, model));
        SyncInference.Outcome<ClassifyJob.Result> outcome = inference.run(tenant.tenantId(), model,
                ClassifyJob.CONTRACT, new ClassifyJob.Params(labels, templates), images);
        List<Classification> data = new ArrayList<>();
        for (int i = 0; i < outcome.results().size(); i++) {
            data.add(new Classification(i, outcome.results().get(i).labels()));
        }
        return new Response("list", model.reference(), data);
    }
}
