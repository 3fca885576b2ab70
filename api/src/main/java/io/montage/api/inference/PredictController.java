package io.montage.api.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import io.montage.jobs.contracts.PredictJob;
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
 * {@code POST /v1/predict}: a fused model (manifest kind {@code fused}) answers each input, an image and a text
 * together: its labels with their probabilities, most probable first (the first {@code top_k}), or its score.
 */
@Tag(name = "Inference")
@EdgeProblems
@KeyProblems
@SyncInferenceProblems
@Controller("/v1/predict")
public class PredictController {

    /** One input: {@code image} base64 or a data URL, {@code text} the text that goes with it. */
    @Serdeable
    public record Input(@Nullable String image, @Nullable String text) {
    }

    @Serdeable
    public record Request(@Nullable String model, @Nullable List<Input> inputs, @Nullable Integer topK) {
    }

    /** Per input, {@code labels} (a classifier) or {@code score} (a scorer), never both. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Prediction(int index, @Nullable List<ClassifyJob.Ranked> labels, @Nullable Double score) {
    }

    @Serdeable
    public record Response(String object, String model, List<Prediction> data) {
    }

    private final SyncInference inference;
    private final InferenceLimits limits;
    private final RequestCosts costs;

    public PredictController(SyncInference inference, InferenceLimits limits, RequestCosts costs) {
        this.inference = inference;
        this.limits = limits;
        this.costs = costs;
    }

    @Operation(operationId = "predict", summary = "A fused model's prediction for an image and a text")
    @NotFoundProblem
    @Post
    @Secured("inference")
    public Response predict(Authentication auth, @Body Request request) throws InterruptedException {
        return predict(auth, request.model(), request.topK(), () -> inputs(request.inputs()));
    }

    /** A request whose inputs {@code read} returns (a form's image files and text fields). */
    Response predict(Authentication auth, String modelReference, Integer topK, Supplier<List<PredictJob.Input>> read)
            throws InterruptedException {
        TenantPrincipal tenant = TenantPrincipal.of(auth);
        Model model = inference.fusedModel(tenant.tenantId(), modelReference);
        InferenceInputs.checkTopK(topK, model.manifest().output());
        List<PredictJob.Input> inputs = read.get();
        costs.predict(inputs.size());
        SyncInference.Outcome<PredictJob.Result> outcome = inference.run(tenant.tenantId(), model,
                PredictJob.CONTRACT, new PredictJob.Params(topK), inputs);
        List<Prediction> data = new ArrayList<>(outcome.results().size());
        for (int i = 0; i < outcome.results().size(); i++) {
            PredictJob.Result result = outcome.results().get(i);
            data.add(new Prediction(i, result.labels(), result.score()));
        }
        return new Response("list", model.reference(), data);
    }

    /** An input is an image and a text; each is checked as every endpoint checks its images and texts. */
    private List<PredictJob.Input> inputs(List<Input> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw MontageException.invalid("missing_inputs", "inputs must hold at least one {\"image\", \"text\"}");
        }
        List<PredictJob.Input> items = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Input input = inputs.get(i);
            String where = "inputs[" + i + "]";
            if (input == null) {
                throw MontageException.invalid("unsupported_input", where + " must be {\"image\": …, \"text\": …}");
            }
            items.add(PredictJob.Input.of(InputEncoding.image(input.image(), where + ".image", limits),
                    InputEncoding.text(input.text(), where + ".text", limits)));
        }
        return items;
    }
}
