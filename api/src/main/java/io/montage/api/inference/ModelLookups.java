package io.montage.api.inference;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.UUID;

/**
 * {@link ModelRegistry#resolve} and {@link ModelRegistry#tenantDefault} for every synchronous request, answered from
 * the node's memory once read (issue 10: they were three transactions per request, one of them a read of every
 * model). Only found models are kept: a reference that matches no ready model, or a tenant without a default, is
 * read again each time, so registering a model or setting a default needs no notification to be seen. Whatever could
 * change a kept answer (V19's triggers) drops them all at its commit.
 */
@Singleton
public class ModelLookups {

    private final ModelRegistry registry;
    private final ServingChanges changes;
    private final boolean enabled;
    private final Cache<String, Model> byReference;
    private final Cache<UUID, Optional<Model>> defaults;

    public ModelLookups(ModelRegistry registry, ServingChanges changes, LookupCacheConfig config) {
        this.registry = registry;
        this.changes = changes;
        this.enabled = config.enabled();
        this.byReference = changes.register(Caffeine.newBuilder().maximumSize(config.maxEntries())
                .expireAfterWrite(config.ttl()).build());
        this.defaults = changes.register(Caffeine.newBuilder().maximumSize(config.maxEntries())
                .expireAfterWrite(config.ttl()).build());
    }

    /** As {@link ModelRegistry#resolve}: a ready model, or 404 model_not_found (never kept). */
    public Model resolve(String reference) {
        Model cached = enabled ? byReference.getIfPresent(reference) : null;
        return cached != null ? cached
                : changes.readAndKeep(byReference, reference, () -> registry.resolve(reference), m -> enabled);
    }

    /** As {@link ModelRegistry#tenantDefault}: the tenant's default model if it has one and it is ready. */
    public Optional<Model> tenantDefault(UUID tenantId) {
        Optional<Model> cached = enabled ? defaults.getIfPresent(tenantId) : null;
        return cached != null ? cached : changes.readAndKeep(defaults, tenantId,
                () -> registry.tenantDefault(tenantId), found -> enabled && found.isPresent());
    }
}
