package io.montage.api.problems;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.montage.db.DataAccessException;
import io.montage.db.SqlFailures;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database failure that reaches the edge: a value the database refuses (a NUL character in an id, say) is the
 * caller's 422 with a code, a race lost to a concurrent write of the same key a 409, a passing failure (lost
 * connection, deadlock) a 503 to retry, anything else a 500.
 * Never the database's message: that goes to the log.
 */
@Produces
@Singleton
public class DatabaseFailureHandler implements ExceptionHandler<DataAccessException, HttpResponse<Problem>> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseFailureHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, DataAccessException exception) {
        if (SqlFailures.isUniqueViolation(exception)) {
            LOG.info("{} {}: a concurrent write won: {}", request.getMethod(), request.getPath(), exception.getMessage());
            return Problem.of(409, "write_conflict", "another request wrote the same thing at the same moment; "
                    + "retry to see its result").toResponse();
        }
        var refused = SqlFailures.refusedData(exception);
        if (refused.isPresent()) {
            LOG.info("{} {}: the database refused a value: {}", request.getMethod(), request.getPath(),
                    exception.getMessage());
            return Problem.of(422, refused.get().code(), refused.get().message()).toResponse();
        }
        if (SqlFailures.isTransient(exception)) {
            LOG.warn("{} {}: the database is not available", request.getMethod(), request.getPath(), exception);
            return Problem.of(503, "database_unavailable", "the database is not available right now; retry shortly")
                    .toResponse();
        }
        LOG.error("{} {} failed", request.getMethod(), request.getPath(), exception);
        return Problem.of(500, "internal_error", "the server failed to handle this request; it was logged").toResponse();
    }
}
