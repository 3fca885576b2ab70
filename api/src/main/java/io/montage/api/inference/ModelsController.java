package io.montage.api.inference;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.models.Model;
import io.montage.models.ModelManifest;
import io.montage.models.ModelRegistry;
import io.montage.models.ModelVariant;

import java.util.List;

/**
 * {@code GET /v1/models}: the ready models, in OpenAI's list shape plus what a caller needs to use them: a clip
 * model's embedding dimension, a fused model's output (its labels, or its score's name), the precision, and for an
 * int8 or bf16 variant what it derives from with its measured fidelity and speed (the manifest's {@code variant}).
 */
@Controller("/v1/models")
public class ModelsController {

    @Serdeable
    public record ModelView(String id, String object, long created, String ownedBy, String name, String version,
                            String kind, @Nullable Integer embeddingDim, @Nullable ModelManifest.Output output,
                            List<String> modalities, String license, String precision,
                            @Nullable ModelVariant variant) {
    }

    @Serdeable
    public record ModelList(String object, List<ModelView> data) {
    }

    private final ModelRegistry registry;

    public ModelsController(ModelRegistry registry) {
        this.registry = registry;
    }

    @Get
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public ModelList list() {
        return new ModelList("list", registry.ready().stream().map(ModelsController::view).toList());
    }

    private static ModelView view(Model m) {
        return new ModelView(m.reference(), "model", m.readyAt().getEpochSecond(), "montage", m.name(), m.version(),
                m.manifest().kind(), m.manifest().fused() ? null : m.manifest().embeddingDim(), m.manifest().output(),
                List.of("text", "image"), m.manifest().license(), m.manifest().precision(), m.manifest().variant());
    }
}
