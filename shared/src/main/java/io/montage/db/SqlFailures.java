package io.montage.db;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;

/**
 * What a database failure means for whoever hit it, read from its SQLState: a value the database refuses (class 22
 * data exceptions, class 23 integrity violations) fails the same way every time, so it is the data's fault and no
 * retry can help; a lost connection, a serialization failure, a deadlock, an operator intervention, a timeout or an
 * exhausted resource passes, so another attempt may succeed.
 */
public final class SqlFailures {

    /** A value the database refused, as tenants are told: a stable code and what to fix, never the SQL message. */
    public record RefusedData(String code, String message) {
    }

    private SqlFailures() {
    }

    /** The refused value, when the failure (or one of its causes) is a data exception or integrity violation. */
    public static Optional<RefusedData> refusedData(Throwable failure) {
        return sqlState(failure).flatMap(state -> {
            // a NUL in text (invalid byte sequence) or in jsonb (untranslatable \u0000): what else a Java string
            // can hold is valid UTF-8 once encoded, so these two are NUL in practice; the api's own check says the same
            if (state.equals("22021") || state.equals("22P05")) {
                return Optional.of(new RefusedData("nul_character", "a text value holds a NUL character (\\u0000), "
                        + "which stored text cannot hold: remove it"));
            }
            if (state.startsWith("22") || state.startsWith("23")) {
                return Optional.of(new RefusedData("invalid_data", "a value cannot be stored as given (out of range, "
                        + "too long, or of the wrong shape): check this item's fields against the API guide"));
            }
            return Optional.empty();
        });
    }

    /** Whether two writers raced for the same key (SQLState 23505): the later one finds the other's row. */
    public static boolean isUniqueViolation(Throwable failure) {
        return sqlState(failure).map("23505"::equals).orElse(false);
    }

    /** Whether another attempt may succeed: the failure passes by itself. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
                return true; // the pool's "connection is not available", a broken connection
            }
        }
        return sqlState(failure).map(state -> state.startsWith("08")       // connection exception
                || state.equals("40001") || state.equals("40P01")         // serialization failure, deadlock
                || state.startsWith("57P") || state.equals("57014")        // shutdown, crash recovery; statement timeout
                || state.startsWith("53")                                  // out of connections, memory, disk
                || state.equals("55P03"))                                  // lock timeout
                .orElse(false);
    }

    private static Optional<String> sqlState(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }
}
