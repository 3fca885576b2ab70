package io.montage.console;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The console's web server and sign-in rules. Env overrides: {@code MONTAGE_CONSOLE_HOST}, {@code …_PORT}, ….
 *
 * @param host              the address to listen on: this machine only unless an operator opens it up
 * @param port              the HTTP port (0 picks a free one, for tests)
 * @param sessionTimeout    a session without a request for this long is closed; the operator signs in again
 * @param loginMaxFailures  failed sign-ins of one user from one client before that pair is locked out
 * @param loginLockout      how long a lockout lasts, counted from the last failure
 * @param refreshInterval   how often open live views read again what they show (server push): the dashboard's
 *                          throughput, queue, workers and recent failures, the jobs view's jobs
 */
@ConfigurationProperties("montage.console")
public record ConsoleConfig(
        @Bindable(defaultValue = "127.0.0.1") String host,
        @Bindable(defaultValue = "8081") int port,
        @Bindable(defaultValue = "30m") Duration sessionTimeout,
        @Bindable(defaultValue = "5") int loginMaxFailures,
        @Bindable(defaultValue = "15m") Duration loginLockout,
        @Bindable(defaultValue = "5s") Duration refreshInterval) {
}
