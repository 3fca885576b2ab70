package io.montage.api.admin;

import io.montage.audit.AuditLog;
import jakarta.inject.Singleton;

import java.util.function.Supplier;

/**
 * The audit log of the admin commands: each change a command makes is a row like a console operator's, by
 * {@code cli:<the operating system's user>} (whoever has a shell and the database password, not a console account).
 */
@Singleton
class CommandAudit {

    static final String ACTOR = "cli:" + System.getProperty("user.name");

    private final AuditLog log;

    CommandAudit(AuditLog log) {
        this.log = log;
    }

    /** Runs {@code change} and records its outcome ({@link AuditLog#recorded}). */
    <T> T recorded(String action, String target, String detail, Supplier<T> change) {
        return log.recorded(ACTOR, action, target, detail, change);
    }
}
