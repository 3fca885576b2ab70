package io.montage.api.inference;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.api.auth.TenantPrincipal;
import io.montage.errors.MontageException;
import io.montage.models.Model;
import io.montage.models.ModelManifest;
import io.montage.models.ModelRegistry;
import io.montage.models.ModelVariant;
import io.montage.api.openapi.EdgeProblems;
import io.montage.api.openapi.KeyProblems;
import io.montage.api.openapi.NotFoundProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/**
 * {@code GET /v1/models}: the ready models, in OpenAI's list shape plus what a caller needs to use them: a clip
 * model's embedding dimension, a fused model's output (its labels, or its score's name), the engine that runs it
 * ({@code pytorch} or {@code onnxruntime}), the precision, and for an int8 or bf16 variant what it derives from with
 * its measured fidelity and speed (the manifest's {@code variant}). {@code GET /v1/models/{id}}: one of them, as
 * OpenAI's clients retrieve a model; {@value ModelRegistry#DEFAULT_ALIAS} is the caller's tenant's default model,
 * under its own id.
 */
@Tag(name = "Models")
@EdgeProblems
@KeyProblems
@Controller("/v1/models")
public class ModelsController {

    @Serdeable
    public record ModelView(String id, String object, long created, String ownedBy, String name, String version,
                            String kind, String engine, @Nullable Integer embeddingDim,
                            @Nullable ModelManifest.Output output, List<String> modalities, String license,
                            String precision, @Nullable ModelVariant variant) {
    }

    @Serdeable
    public record ModelList(String object, List<ModelView> data) {
    }

    private final ModelRegistry registry;
    private final ModelLookups lookups;

    public ModelsController(ModelRegistry registry, ModelLookups lookups) {
        this.registry = registry;
        this.lookups = lookups;
    }

    @Operation(operationId = "listModels", summary = "The ready models")
    @Get
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public ModelList list() {
        return new ModelList("list", registry.ready().stream().map(ModelsController::view).toList());
    }

    /**
     * A ready model by reference ({@code name} for its newest ready version that is not a variant, or
     * {@code name@version}).
     */
    @Operation(operationId = "getModel", summary = "One ready model, by reference or `default`")
    @NotFoundProblem
    @Get("/{id}")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public ModelView get(Authentication auth, @PathVariable String id) {
        if (!id.equals(ModelRegistry.DEFAULT_ALIAS)) {
            return view(lookups.resolve(id));
        }
        return view(lookups.tenantDefault(TenantPrincipal.of(auth).tenantId()).orElseThrow(() -> MontageException
                .notFound("model_not_found", "this tenant has no default model; GET /v1/models lists the models")));
    }

    private static ModelView view(Model m) {
        return new ModelView(m.reference(), "model", m.readyAt().getEpochSecond(), "montage", m.name(), m.version(),
                m.manifest().kind(), m.manifest().engine(), m.manifest().fused() ? null : m.manifest().embeddingDim(),
                m.manifest().output(), List.of("text", "image"), m.manifest().license(), m.manifest().precision(),
                m.manifest().variant());
    }
}
