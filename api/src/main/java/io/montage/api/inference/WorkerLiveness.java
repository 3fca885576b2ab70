package io.montage.api.inference;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.montage.workers.WorkerRegistry;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * {@link WorkerRegistry#anyLiveWorkerHas} for every synchronous request, with a "yes" kept on the node for
 * {@code liveness-ttl}. Liveness changes mostly by time passing (a heartbeat that does not come), which no trigger
 * can announce, hence the short TTL: a silently dead worker is believed alive that much longer than
 * {@code worker-freshness} already allows (2 s over 30 s by default), and what is queued meanwhile times out or is
 * served by another worker. A worker that drains, stops or unloads a model does announce it (V19), so that drops
 * every "yes" at once. A "no" is never kept: a worker that has just started serves the next request.
 */
@Singleton
public class WorkerLiveness {

    private final WorkerRegistry workers;
    private final ServingChanges changes;
    private final boolean enabled;
    private final Cache<String, Boolean> live;

    public WorkerLiveness(WorkerRegistry workers, ServingChanges changes, LookupCacheConfig config) {
        this.workers = workers;
        this.changes = changes;
        this.enabled = config.enabled();
        this.live = changes.register(Caffeine.newBuilder().maximumSize(config.maxEntries())
                .expireAfterWrite(config.livenessTtl()).build());
    }

    /** As {@link WorkerRegistry#anyLiveWorkerHas}. */
    public boolean anyLiveWorkerHas(String capability, Duration freshness) {
        if (enabled && live.getIfPresent(capability) != null) {
            return true;
        }
        return changes.readAndKeep(live, capability, () -> workers.anyLiveWorkerHas(capability, freshness),
                yes -> enabled && yes);
    }
}
