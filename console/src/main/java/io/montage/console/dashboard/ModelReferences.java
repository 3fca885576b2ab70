package io.montage.console.dashboard;

import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.workers.WorkerNode;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code name@version} of each model capability the workers list. A model's reference never changes, so the
 * registry is read again only when a worker lists a model not seen before: reading every model (and parsing its
 * manifest) on each refresh of each open dashboard cost more than all the dashboard's other reads together
 * (docs/benchmarks.md, "Console dashboard").
 */
@Singleton
final class ModelReferences {

    private final ModelRegistry registry;
    private volatile Map<String, String> byCapability = Map.of();

    ModelReferences(ModelRegistry registry) {
        this.registry = registry;
    }

    /** References by capability, covering every model capability of {@code workers} the registry knows. */
    Map<String, String> of(List<WorkerNode> workers) {
        Map<String, String> known = byCapability;
        boolean unseen = workers.stream().flatMap(w -> w.capabilities().stream())
                .anyMatch(c -> WorkerNode.isModelCapability(c) && !known.containsKey(c));
        if (!unseen) {
            return known;
        }
        Map<String, String> read = registry.list().stream()
                .collect(Collectors.toMap(m -> WorkerNode.modelCapability(m.id()), Model::reference));
        byCapability = read;
        return read;
    }
}
