package io.montage.console.access;

import io.montage.admins.AdminAccounts;
import io.montage.audit.AuditEntry;
import io.montage.audit.AuditLog;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Signs operators in and out, throttled per user and client, each attempt in the audit log. A wrong name and a
 * wrong password read the same, so the message tells a guesser nothing about which names exist.
 */
@Singleton
public class SignIn {

    static final String WRONG = "Wrong username or password.";
    private static final int MAX_ACTOR = 200;

    private final AdminAccounts accounts;
    private final LoginThrottle throttle;
    private final AuditLog audit;

    public SignIn(AdminAccounts accounts, LoginThrottle throttle, AuditLog audit) {
        this.accounts = accounts;
        this.throttle = throttle;
        this.audit = audit;
    }

    /** Signs the session in, or says why not. */
    public Optional<String> attempt(String username, String password, String client) {
        String actor = actor(username);
        String target = "admin " + actor;
        if (throttle.lockedOut(username, client)) {
            audit.record(actor, "console.sign-in", target, AuditEntry.DENIED, "locked out, from " + client);
            return Optional.of("Too many failed sign-ins for this user from this address. Try again in "
                    + throttle.lockout().toMinutes() + " minutes.");
        }
        var user = accounts.authenticate(username == null ? null : username.strip(), password);
        if (user.isEmpty()) {
            throttle.failed(username, client);
            audit.record(actor, "console.sign-in", target, AuditEntry.FAILED, "wrong username or password, from " + client);
            return Optional.of(WRONG);
        }
        throttle.succeeded(username, client);
        SignedIn.set(Operator.of(user.get()));
        audit.record(actor, "console.sign-in", target, AuditEntry.OK, "from " + client);
        return Optional.empty();
    }

    public void signOut() {
        SignedIn.current().ifPresent(operator -> audit.record(operator.username(), "console.sign-out",
                "admin " + operator.username(), AuditEntry.OK, null));
        SignedIn.end();
    }

    private static String actor(String username) {
        String name = username == null || username.isBlank() ? "(no name)" : username.strip();
        return name.length() <= MAX_ACTOR ? name : name.substring(0, MAX_ACTOR);
    }
}
