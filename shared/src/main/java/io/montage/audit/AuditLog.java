package io.montage.audit;

import io.montage.db.Database;
import io.montage.errors.MontageException;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.function.Supplier;

/**
 * Records and reads the audit log. A row is written in a transaction of its own after the action ended, so a
 * failed or refused action is recorded although its own transaction rolled back.
 */
@Singleton
public class AuditLog {

    /** The most rows one search returns. */
    public static final int MAX_ROWS = 500;
    private static final int MAX_DETAIL = 2000;
    private static final int MAX_TARGET = 500;

    private final Database database;
    private final AuditRepository entries;

    public AuditLog(Database database, AuditRepository entries) {
        this.database = database;
        this.entries = entries;
    }

    public AuditEntry record(String actor, String action, String target, String outcome, String detail) {
        AuditEntry entry = new AuditEntry(null, null, actor, action, clip(target, MAX_TARGET), outcome,
                detail == null ? null : clip(detail, MAX_DETAIL));
        return database.asSystem(c -> entries.save(entry));
    }

    /**
     * Runs {@code change} and records how it ended, as {@code actor}'s {@code action} on {@code target}: ok with
     * {@code detail} (may be null), or failed with the refusal's code and message; any other failure is recorded
     * as an internal error (its details belong in the process's log, not here). A failure is rethrown.
     */
    public <T> T recorded(String actor, String action, String target, String detail, Supplier<T> change) {
        try {
            T result = change.get();
            record(actor, action, target, AuditEntry.OK, detail);
            return result;
        } catch (MontageException refused) {
            record(actor, action, target, AuditEntry.FAILED, refused.code() + ": " + refused.getMessage());
            throw refused;
        } catch (RuntimeException e) {
            record(actor, action, target, AuditEntry.FAILED, "internal error");
            throw e;
        }
    }

    /** Newest first, at most {@link #MAX_ROWS}; a null or blank field of the filter matches everything. */
    public List<AuditEntry> search(AuditFilter filter) {
        return database.asSystem(c -> entries.search(blankIfNull(filter.actor()), blankIfNull(filter.action()),
                blankIfNull(filter.outcome()), blankIfNull(filter.text()), MAX_ROWS));
    }

    private static String blankIfNull(String value) {
        return value == null ? "" : value.strip();
    }

    private static String clip(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
