package io.montage.api.inference;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The api node's caches of a synchronous request's lookups (montage.inference-api.lookup-cache.*): the ready model a
 * reference names, each tenant's default model, and which models a live worker serves. Model and default entries are
 * dropped on every {@code montage_serving} notification (migration V19), so {@code ttl} only bounds a change missed
 * while this node's LISTEN connection is down.
 *
 * @param enabled     off: every request reads its model and a worker's liveness from the database
 * @param maxEntries  model references, tenants' defaults and served models each held, least recently used dropped
 * @param ttl         how long a model or a tenant's default is used before it is read again, notification or not
 * @param livenessTtl how long "a live worker serves this model" is believed. A worker that stops, drains or unloads
 *                    the model says so (a notification); one that dies silently is only noticed when its heartbeat
 *                    is older than {@code montage.inference-api.worker-freshness}, which this adds to
 */
@ConfigurationProperties("montage.inference-api.lookup-cache")
public record LookupCacheConfig(@Bindable(defaultValue = "true") boolean enabled,
                                @Bindable(defaultValue = "10000") int maxEntries,
                                @Bindable(defaultValue = "60s") Duration ttl,
                                @Bindable(defaultValue = "2s") Duration livenessTtl) {
}
