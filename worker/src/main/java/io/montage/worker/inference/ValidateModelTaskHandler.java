package io.montage.worker.inference;

import io.montage.jobs.ItemOutcome;
import io.montage.jobs.contracts.JobContract;
import io.montage.jobs.contracts.NoParams;
import io.montage.jobs.contracts.ValidateModelJob;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.NonRetryableTaskException;
import io.montage.worker.tasks.Task;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Runs {@link ValidateModelJob}: the smoke test between registering a bundle and serving it. The model is loaded
 * and both towers run at every batch size (checking output shape and finiteness); then it is ready, or failed
 * with the reason. A bundle that cannot load never reaches a worker's serving set.
 */
@Singleton
final class ValidateModelTaskHandler
        implements TaskHandler<NoParams, ValidateModelJob.Input, ValidateModelJob.Result> {

    private static final Logger LOG = LoggerFactory.getLogger(ValidateModelTaskHandler.class);

    private final ModelRegistry registry;
    private final ModelServer server;

    ValidateModelTaskHandler(ModelRegistry registry, ModelServer server) {
        this.registry = registry;
        this.server = server;
    }

    @Override
    public JobContract<NoParams, ValidateModelJob.Input, ValidateModelJob.Result> contract() {
        return ValidateModelJob.CONTRACT;
    }

    @Override
    public List<ItemOutcome> run(Task<NoParams, ValidateModelJob.Result> task,
                                 List<Item<ValidateModelJob.Input>> items) throws Exception {
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        for (Item<ValidateModelJob.Input> item : items) {
            UUID modelId = item.input().modelId();
            Model model = registry.find(modelId).orElseThrow(() ->
                    new NonRetryableTaskException("model_not_found", "model " + modelId + " is not in the registry"));
            try (LoadedModel loaded = server.load(model)) {
                registry.markReady(model.id());
                LOG.info("model {} passed validation", model.reference());
                outcomes.add(task.succeeded(item.seq(), ValidateModelJob.Result.READY));
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
