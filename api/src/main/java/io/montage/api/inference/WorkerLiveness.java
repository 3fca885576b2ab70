package io.montage.api.inference;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
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
 *
 * <p>A "yes" older than half the TTL is read again in the background when a request uses it (Caffeine's
 * {@code refreshAfterWrite}): under steady traffic the read is never on a request's path (it was a transaction of
 * three round trips in front of one request every TTL, docs/benchmarks.md "Session 6"), and a "yes" is still never
 * believed longer than the TTL. A refresh that finds no live worker drops the entry; one that a serving change
 * overtakes is discarded (the change emptied the cache while it read).
 */
@Singleton
public class WorkerLiveness {

    private final WorkerRegistry workers;
    private final ServingChanges changes;
    private final boolean enabled;
    /** Capability → the worker-freshness its "yes" was read with (so that a refresh reads it alike). */
    private final LoadingCache<String, Duration> live;

    public WorkerLiveness(WorkerRegistry workers, ServingChanges changes, LookupCacheConfig config) {
        this.workers = workers;
        this.changes = changes;
        this.enabled = config.enabled();
        this.live = changes.register(Caffeine.newBuilder().maximumSize(config.maxEntries())
                .expireAfterWrite(config.livenessTtl())
                .refreshAfterWrite(config.livenessTtl().dividedBy(2))
                .build(new CacheLoader<>() {
                    @Override
                    public Duration load(String capability) {
                        throw new UnsupportedOperationException("read on a miss by anyLiveWorkerHas");
                    }

                    @Override
                    public Duration reload(String capability, Duration freshness) {
                        return workers.anyLiveWorkerHas(capability, freshness) ? freshness : null;
                    }
                }));
    }

    /** As {@link WorkerRegistry#anyLiveWorkerHas}. */
    public boolean anyLiveWorkerHas(String capability, Duration freshness) {
        if (enabled && live.getIfPresent(capability) != null) {
            return true;
        }
        return changes.readAndKeep(live, capability, () -> workers.anyLiveWorkerHas(capability, freshness)
                ? freshness : null, kept -> enabled && kept != null) != null;
    }
}
