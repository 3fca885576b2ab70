package io.montage.db;

import io.micronaut.data.connection.ConnectionDefinition;
import io.micronaut.data.connection.ConnectionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.UUID;

/**
 * The only way Montage code runs SQL: every unit of work is one transaction, either inside one tenant
 * (row-level security shows that tenant's rows only) or as the system role (cross-tenant infrastructure work).
 * There is deliberately no third way: a query cannot run without choosing.
 * <p>
 * The transaction's connection is also the one Micronaut Data's repositories see while {@code work} runs (it is
 * opened through their {@link ConnectionOperations}), so a repository call inside {@code work} is inside the
 * tenant or the system role too; outside any such transaction a repository has no connection and fails
 * ({@link RepositoryConnections}).
 */
@Singleton
public class Database {

    /** Deadlock and serialization failure: the transaction did nothing and may simply run again. */
    private static final Set<String> RETRYABLE_STATES = Set.of("40P01", "40001");
    private static final int MAX_TRIES = 4;

    private final ConnectionOperations<Connection> connections;
    private final String setSystemRole;

    public Database(ConnectionOperations<Connection> connections, DatabaseConfig config) {
        this.connections = connections;
        this.setSystemRole = "SET LOCAL ROLE " + quoteIdentifier(config.systemRole());
    }

    /** Runs {@code work} in one transaction that sees and writes only {@code tenantId}'s rows. */
    public <T> T inTenant(UUID tenantId, SqlWork<T> work) {
        if (tenantId == null) {
            throw new IllegalArgumentException("tenantId is required");
        }
        return inTransaction(connection -> {
            try (PreparedStatement set = connection.prepareStatement(
                    "SELECT set_config('montage.tenant_id', ?, true)")) {
                set.setString(1, tenantId.toString());
                set.execute();
            }
            return work.run(connection);
        });
    }

    /** Runs {@code work} in one transaction as the system role, across all tenants. */
    public <T> T asSystem(SqlWork<T> work) {
        return inTransaction(connection -> {
            try (Statement set = connection.createStatement()) {
                set.execute(setSystemRole);
            }
            return work.run(connection);
        });
    }

    private <T> T inTransaction(SqlWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                // a connection of its own, as before repositories existed: an enclosing transaction is set aside
                return connections.execute(ConnectionDefinition.REQUIRES_NEW, status -> commitOrRollBack(
                        status.getConnection(), work));
            } catch (RuntimeException failed) {
                SQLException e = sqlFailure(failed);
                if (e == null) {
                    throw failed;
                }
                if (attempt < MAX_TRIES && e.getSQLState() != null && RETRYABLE_STATES.contains(e.getSQLState())) {
                    continue;
                }
                throw new DataAccessException("database: " + e.getMessage(), e);
            }
        }
    }

    private static <T> T commitOrRollBack(Connection connection, SqlWork<T> work) {
        try {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    // the pool closes a connection after some errors (e.g. 0A000): report the cause, not this
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new FailedSql(e);
        }
    }

    /**
     * The SQL failure a unit of work ended with: a statement's (carried out of the callback), a repository's or
     * the pool's (Micronaut Data wraps them in exceptions of its own); null for anything else, such as a refused
     * request or a nested unit of work's failure, which already says what happened.
     */
    private static SQLException sqlFailure(RuntimeException failure) {
        if (failure instanceof DataAccessException) {
            return null;
        }
        return failure.getCause() instanceof SQLException sql ? sql : null;
    }

    /** Carries a statement's failure out of the connection callback, which cannot throw checked exceptions. */
    private static final class FailedSql extends RuntimeException {
        FailedSql(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    static String quoteIdentifier(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
