package io.montage.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.montage.apikeys.ApiKeyFormat;
import io.montage.apikeys.ApiKeyService;
import io.montage.apikeys.KeyCheck;
import io.montage.notify.Notifications;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The key check of every request, with accepted keys kept on the node (Caffeine) so a busy key costs no database
 * round trip. Refusals are never cached: unknown keys must not crowd out real ones. A cached key is dropped when
 * anything that could refuse it changes (the {@code montage_api_keys} notification of migration V16, or a
 * reconnect of the LISTEN connection, which may have missed one) and when its own expiry passes. A check that
 * read the database while such a change happened does not cache its answer: the change may have come after it.
 * The key's {@code last_used_at} is touched when the key is read again, so it is at most {@code ttl} + 1 minute old.
 */
@Singleton
public class CachedKeyChecks {

    private final ApiKeyService keys;
    private final boolean enabled;
    private final Cache<String, KeyCheck.Accepted> accepted;
    private final AtomicLong changes = new AtomicLong();

    public CachedKeyChecks(ApiKeyService keys, Notifications notifications, KeyCacheConfig config) {
        this.keys = keys;
        this.enabled = config.enabled();
        this.accepted = Caffeine.newBuilder().maximumSize(config.maxKeys()).expireAfterWrite(config.ttl()).build();
        notifications.subscribe(ApiKeyService.CHANNEL, payload -> {
            changes.incrementAndGet();
            accepted.invalidateAll();
        });
    }

    /**
     * The key's answer if this node holds it (no database read: callers may use it on the event loop), else null:
     * then {@link #check}.
     */
    public KeyCheck.Accepted cached(String presented) {
        String id = cacheId(presented);
        KeyCheck.Accepted cached = id == null ? null : accepted.getIfPresent(id);
        return cached != null && !expired(cached) ? cached : null;
    }

    public KeyCheck check(String presented) {
        KeyCheck.Accepted cached = cached(presented);
        if (cached != null) {
            return cached;
        }
        String id = cacheId(presented);
        if (id == null) {
            return keys.check(presented);
        }
        long before = changes.get();
        KeyCheck checked = keys.check(presented);
        if (checked instanceof KeyCheck.Accepted fresh && changes.get() == before) {
            accepted.put(id, fresh);
        }
        return checked;
    }

    /** The cache's key for a well-formed presented key (its hash), or null when there is nothing to cache. */
    private String cacheId(String presented) {
        ApiKeyFormat.Result parsed = ApiKeyFormat.parse(presented);
        return enabled && parsed.key() != null ? HexFormat.of().formatHex(parsed.key().hash()) : null;
    }

    private static boolean expired(KeyCheck.Accepted cached) {
        Instant expiry = cached.apiKey().expiresAt();
        return expiry != null && !expiry.isAfter(Instant.now());
    }
}
