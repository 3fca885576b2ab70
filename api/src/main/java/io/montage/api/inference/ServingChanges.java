package io.montage.api.inference;

import com.github.benmanes.caffeine.cache.Cache;
import io.montage.notify.Notifications;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The {@code montage_serving} notification (migration V19: a model, a tenant's default model or a worker's serving
 * set changed; or the LISTEN connection reconnected and may have missed one) as the lookup caches use it: every
 * cache registered here is emptied, and {@link #readAndKeep} keeps an answer only when no change came while it was
 * read from the database (the change may have come after the read). Shared so that the model and worker caches
 * hold the same rule once.
 */
@Singleton
public class ServingChanges {

    /** The channel V19's triggers notify. */
    public static final String CHANNEL = "montage_serving";

    private final AtomicLong changes = new AtomicLong();
    private final List<Cache<?, ?>> caches = new CopyOnWriteArrayList<>();

    public ServingChanges(Notifications notifications) {
        notifications.subscribe(CHANNEL, payload -> {
            changes.incrementAndGet();
            caches.forEach(Cache::invalidateAll);
        });
    }

    /** Empties {@code cache} on every change from now on. */
    <C extends Cache<?, ?>> C register(C cache) {
        caches.add(cache);
        return cache;
    }

    /**
     * Reads {@code key}'s answer from the database with {@code read}, and puts it into {@code cache} if
     * {@code keep} says so and no change came meanwhile.
     */
    <K, V> V readAndKeep(Cache<K, V> cache, K key, Supplier<V> read, Predicate<V> keep) {
        long before = changes.get();
        V value = read.get();
        if (keep.test(value) && changes.get() == before) {
            cache.put(key, value);
        }
        return value;
    }
}
