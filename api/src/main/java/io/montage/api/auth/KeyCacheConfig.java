package io.montage.api.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The api node's cache of accepted API keys (montage.auth.key-cache.*). Entries are dropped on every
 * {@code montage_api_keys} notification (migration V16: a revocation, expiry or scope change, a suspension), so
 * {@code ttl} only bounds how long a change could go unseen while this node's LISTEN connection is down.
 *
 * @param enabled off: every request reads its key from the database
 * @param maxKeys accepted keys one node holds; the least recently used beyond it are read again
 * @param ttl     how long an accepted key is used before it is read again, notification or not
 */
@ConfigurationProperties("montage.auth.key-cache")
public record KeyCacheConfig(@Bindable(defaultValue = "true") boolean enabled,
                             @Bindable(defaultValue = "100000") int maxKeys,
                             @Bindable(defaultValue = "30s") Duration ttl) {
}
