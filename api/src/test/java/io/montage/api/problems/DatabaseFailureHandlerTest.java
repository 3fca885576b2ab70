package io.montage.api.problems;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.montage.db.DataAccessException;
import io.montage.testing.NoInternals;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each kind of database failure reaching the edge gets its status and code, and never the database's message. */
class DatabaseFailureHandlerTest {

    private static final String INTERNALS = "ERROR: duplicate key value violates unique constraint "
            + "\"collections_tenant_id_name_key\" in INSERT INTO collections; org.postgresql.util.PSQLException";

    @ParameterizedTest
    @CsvSource({"22021, 422, nul_character", "22003, 422, invalid_data", "23514, 422, invalid_data",
            "23505, 409, write_conflict", "08006, 503, database_unavailable", "40P01, 503, database_unavailable",
            "42P01, 500, internal_error"})
    void aDatabaseFailureBecomesAProblemWithoutItsMessage(String state, int status, String code) {
        HttpResponse<Problem> response = new DatabaseFailureHandler().handle(HttpRequest.POST("/v1/collections", "{}"),
                new DataAccessException("database: " + INTERNALS, new SQLException(INTERNALS, state)));
        Problem problem = response.body();
        assertEquals(status, response.status().getCode());
        assertEquals(code, problem.code());
        NoInternals.assertNone(problem.detail());
    }
}
