package io.montage.api.inference;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.server.multipart.MultipartBody;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.montage.errors.MontageException;
import io.montage.jobs.contracts.ItemSource;
import io.montage.jobs.contracts.PredictJob;
import io.montage.api.openapi.EdgeProblems;
import io.montage.api.openapi.KeyProblems;
import io.montage.api.openapi.SyncInferenceProblems;
import io.montage.api.openapi.NotFoundProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The sync inference endpoints with {@code multipart/form-data} bodies: images travel as binary file parts (a
 * camera photo needs no base64, and its bytes are queued as they came), the other fields as text fields named like
 * the JSON fields. Each form is turned into the same endpoint's request, its files into image items, and answered
 * by the same code, so both forms share every check, limit and answer.
 */
@Tag(name = "Inference")
@EdgeProblems
@KeyProblems
@SyncInferenceProblems
@Controller
@Consumes(MediaType.MULTIPART_FORM_DATA)
public class FormInferenceController {

    /** How long reading the form may take: a 20 MB photo on a slow link, not an idle connection held open. */
    private static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddingsController embeddings;
    private final ClassifyController classify;
    private final SimilarityController similarity;
    private final PredictController predict;
    private final InferenceLimits limits;

    public FormInferenceController(EmbeddingsController embeddings, ClassifyController classify,
                                   SimilarityController similarity, PredictController predict,
                                   InferenceLimits limits) {
        this.limits = limits;
        this.embeddings = embeddings;
        this.classify = classify;
        this.similarity = similarity;
        this.predict = predict;
    }

    /** {@code input} parts in order: a text field is a text, a file is an image. */
    @Operation(operationId = "createEmbeddings", summary = "Embed texts and images (OpenAI-compatible)")
    @NotFoundProblem
    @Post("/v1/embeddings")
    @Secured("inference")
    public EmbeddingsController.Response embed(Authentication auth, @Body MultipartBody body)
            throws InterruptedException {
        FormParts form = FormParts.read(body, Set.of("model", "input", "encoding_format", "dimensions", "user", "truncate"),
                UPLOAD_TIMEOUT);
        return embeddings.embed(auth, new EmbeddingsController.Request(form.text("model"), null,
                form.text("encoding_format"), number(form.text("dimensions"), "dimensions"), form.text("user"),
                form.text("truncate")), () -> inputs(form));
    }

    /** The {@code input} parts in order: a text field is a text, a file is an image (its bytes as sent). */
    private List<ItemSource> inputs(FormParts form) {
        List<ItemSource> inputs = new ArrayList<>();
        for (FormParts.Part part : form.all()) {
            if (part.name().equals("input")) {
                inputs.add(part.isFile() ? FormParts.image(part, limits)
                        : InferenceInputs.textItem(part.text(), "input[" + inputs.size() + "]", limits));
            }
        }
        if (inputs.isEmpty()) {
            throw MontageException.invalid("missing_input", "input is required: text fields or image files named input");
        }
        return inputs;
    }

    /** {@code image} files, {@code labels} and optional {@code templates} text fields (each repeated). */
    @Operation(operationId = "classify", summary = "Zero-shot classification of images against labels")
    @NotFoundProblem
    @Post("/v1/classify")
    @Secured("inference")
    public ClassifyController.Response classify(Authentication auth, @Body MultipartBody body)
            throws InterruptedException {
        FormParts form = FormParts.read(body, Set.of("model", "image", "labels", "templates"), UPLOAD_TIMEOUT);
        return classify.classify(auth, new ClassifyController.Request(form.text("model"), null, form.texts("labels"),
                form.texts("templates")), () -> form.images("image", limits));
    }

    /** {@code image} files and {@code texts} text fields (each repeated). */
    @Operation(operationId = "similarity", summary = "Similarity of texts and images to each other")
    @NotFoundProblem
    @Post("/v1/similarity")
    @Secured("inference")
    public SimilarityController.Response similarity(Authentication auth, @Body MultipartBody body)
            throws InterruptedException {
        FormParts form = FormParts.read(body, Set.of("model", "image", "texts"), UPLOAD_TIMEOUT);
        return similarity.similarity(auth, new SimilarityController.Request(form.text("model"), null,
                form.texts("texts")), () -> form.images("image", limits));
    }

    /**
     * {@code image} files and {@code text} fields, paired in order (the n-th image with the n-th text: one pair is
     * the source material's own request), and an optional {@code top_k}.
     */
    @Operation(operationId = "predict", summary = "A fused model's prediction for an image and a text")
    @NotFoundProblem
    @Post("/v1/predict")
    @Secured("inference")
    public PredictController.Response predict(Authentication auth, @Body MultipartBody body)
            throws InterruptedException {
        FormParts form = FormParts.read(body, Set.of("model", "image", "text", "top_k"), UPLOAD_TIMEOUT);
        return predict.predict(auth, form.text("model"), number(form.text("top_k"), "top_k"), () -> pairs(form));
    }

    private List<PredictJob.Input> pairs(FormParts form) {
        List<ItemSource> images = form.images("image", limits);
        List<String> texts = form.texts("text");
        if (images.isEmpty() || images.size() != texts.size()) {
            throw MontageException.invalid("mismatched_inputs", "send one text field 'text' per image file 'image' "
                    + "(got " + images.size() + " images and " + texts.size() + " texts)");
        }
        List<PredictJob.Input> inputs = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            inputs.add(PredictJob.Input.of(images.get(i).image(),
                    InputEncoding.text(texts.get(i), "text[" + i + "]", limits)));
        }
        return inputs;
    }

    /** A whole-number form field, or null when absent. */
    private static Integer number(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw MontageException.invalid("invalid_form_field", field + " must be a whole number, got '" + value + "'");
        }
    }
}
