package io.montage.worker.inference;

import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.montage.worker.tasks.NonRetryableTaskException;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Task type "model.validate": the smoke test between registering a bundle and serving it. The model is loaded
 * and both towers run at every batch size (checking output shape and finiteness); then it is ready, or failed
 * with the reason. A bundle that cannot load never reaches a worker's serving set.
 */
@Singleton
final class ValidateModelTaskHandler implements TaskHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ValidateModelTaskHandler.class);

    @Serdeable(naming = SnakeCaseStrategy.class)
    record Input(UUID modelId) {
    }

    private final ModelRegistry registry;
    private final ModelServer server;
    private final JsonMapper json;

    ValidateModelTaskHandler(ModelRegistry registry, ModelServer server, JsonMapper json) {
        this.registry = registry;
        this.server = server;
        this.json = json;
    }

    @Override
    public String type() {
        return ModelRegistry.VALIDATE_TASK;
    }

    @Override
    public List<ItemOutcome> run(ClaimedTask task, List<TaskItem> items) throws Exception {
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        for (TaskItem item : items) {
            UUID modelId = json.readValue(item.inputJson(), Input.class).modelId();
            Model model = registry.find(modelId).orElseThrow(() ->
                    new NonRetryableTaskException("model_not_found", "model " + modelId + " is not in the registry"));
            try (LoadedModel loaded = server.load(model)) {
                registry.markReady(model.id());
                LOG.info("model {} passed validation", model.reference());
                outcomes.add(ItemOutcome.succeeded(item.seq(), "{\"status\":\"ready\"}"));
            } catch (Exception e) {
                String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
                registry.markFailed(model.id(), reason);
                LOG.warn("model {} failed validation: {}", model.reference(), reason);
                outcomes.add(ItemOutcome.failed(item.seq(), "model_invalid", reason));
            }
        }
        return outcomes;
    }
}
