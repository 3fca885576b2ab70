package io.montage.console.access;

import io.montage.audit.AuditEntry;
import io.montage.audit.AuditLog;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every change an operator makes goes through here: only the admin role may, and each attempt becomes an audit
 * row saying who, what, on which target and how it ended (ok, failed with the reason, denied for a viewer).
 */
@Singleton
public class AdminActions {

    private final AuditLog audit;

    public AdminActions(AuditLog audit) {
        this.audit = audit;
    }

    /**
     * Runs {@code change} for the signed-in operator as {@code action} on {@code target}; {@code detail} (may be
     * null) says more in the log, such as the scopes of a new key.
     */
    public <T> T perform(String action, String target, String detail, Supplier<T> change) {
        return performAs(SignedIn.current(), action, target, detail, change);
    }

    /**
     * {@link #perform} for a change that runs off the UI thread, where there is no session to ask: {@code signedIn}
     * is who was signed in when the view read it ({@link SignedIn#current}, on the UI thread).
     */
    public <T> T performAs(Optional<Operator> signedIn, String action, String target, String detail,
                           Supplier<T> change) {
        Operator operator = signedIn.orElseThrow(() -> new NotPermitted("Your session has ended: sign in again."));
        if (!operator.mayChange()) {
            audit.record(operator.username(), action, target, AuditEntry.DENIED, "role " + operator.role());
            throw new NotPermitted("Your role (" + operator.role() + ") can look but not change anything. "
                    + "Ask an admin to do this.");
        }
        return audit.recorded(operator.username(), action, target, detail, change);
    }
}
