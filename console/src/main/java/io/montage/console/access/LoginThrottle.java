package io.montage.console.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.montage.console.ConsoleConfig;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Locale;

/**
 * Failed sign-ins per user and client address. After {@code login-max-failures} of them the pair is locked out
 * until {@code login-lockout} has passed since its last failure, so a guesser gets a handful of tries per lockout
 * while the same user signs in from elsewhere as usual. Held in memory, bounded: a console restart forgets it.
 */
@Singleton
public class LoginThrottle {

    private final Cache<String, Integer> failures;
    private final int maxFailures;
    private final Duration lockout;

    public LoginThrottle(ConsoleConfig config) {
        this.maxFailures = config.loginMaxFailures();
        this.lockout = config.loginLockout();
        this.failures = Caffeine.newBuilder().expireAfterWrite(lockout).maximumSize(100_000).build();
    }

    public boolean lockedOut(String username, String client) {
        Integer count = failures.getIfPresent(key(username, client));
        return count != null && count >= maxFailures;
    }

    public void failed(String username, String client) {
        failures.asMap().merge(key(username, client), 1, Integer::sum);
    }

    public void succeeded(String username, String client) {
        failures.invalidate(key(username, client));
    }

    public Duration lockout() {
        return lockout;
    }

    public int maxFailures() {
        return maxFailures;
    }

    private static String key(String username, String client) {
        return (username == null ? "" : username.strip().toLowerCase(Locale.ROOT)) + '\u0000' + client;
    }
}
