package io.montage.worker.tasks;

import io.montage.db.DataAccessException;
import io.montage.errors.MontageException;
import io.montage.testing.NoInternals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures a retry can fix, and what tenants are told about each. */
class TaskFailureTest {

    private static final String INTERNALS = "ERROR: duplicate key value violates unique constraint \"x_pkey\" "
            + "in INSERT INTO items; org.postgresql.util.PSQLException";

    private static TaskFailure sql(String state) {
        return TaskFailure.of(new DataAccessException("database: " + INTERNALS, new SQLException(INTERNALS, state)), 7);
    }

    @ParameterizedTest
    @CsvSource({"22021, nul_character", "22P05, nul_character", "22003, invalid_data",
            "23505, invalid_data", "23514, invalid_data", "42P01, internal_error", "XX000, internal_error"})
    void whatNoRetryCanFixFailsAtOnce(String state, String code) {
        TaskFailure failure = sql(state);
        assertEquals(code, failure.code());
        assertFalse(failure.retryable(), state);
        NoInternals.assertNone(failure.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"08006", "08001", "40001", "40P01", "57P01", "57P03", "57014", "53300", "55P03"})
    void whatPassesByItselfIsRetried(String state) {
        TaskFailure failure = sql(state);
        assertTrue(failure.retryable(), state);
        assertEquals("temporarily_unavailable", failure.code());
        assertTrue(failure.message().contains("task 7"), failure.message());
        NoInternals.assertNone(failure.message());
    }

    @Test
    void aModelNotLoadedYetOrATimeoutIsRetriedEvenWhenWrapped() {
        assertTrue(TaskFailure.of(new ExecutionException(new TransientTaskException("model x is not loaded")), 1)
                .retryable());
        assertTrue(TaskFailure.of(new IllegalStateException("inference failed", new SocketTimeoutException("read")), 1)
                .retryable());
        assertTrue(TaskFailure.of(new SQLTransientConnectionException("pool: connection is not available"), 1)
                .retryable());
    }

    @Test
    void aRequestErrorKeepsItsCodeAndMessageAndOnlyA5xxIsRetried() {
        TaskFailure refused = TaskFailure.of(MontageException.conflict("collection_switching", "the collection is "
                + "switching models"), 1);
        assertEquals("collection_switching", refused.code());
        assertEquals("the collection is switching models", refused.message());
        assertFalse(refused.retryable());
        assertTrue(TaskFailure.of(new MontageException(503, "busy", "try again"), 1).retryable());
        TaskFailure rejected = TaskFailure.of(new NonRetryableTaskException("invalid_job_params", "needs labels"), 1);
        assertEquals("invalid_job_params", rejected.code());
        assertFalse(rejected.retryable());
    }

    @Test
    void anUnclassifiedErrorIsABugToLookUpNotToRetry() {
        TaskFailure bug = TaskFailure.of(new NullPointerException(INTERNALS), 42);
        assertEquals("internal_error", bug.code());
        assertFalse(bug.retryable());
        assertTrue(bug.message().contains("task 42"), bug.message());
        NoInternals.assertNone(bug.message());
    }
}
