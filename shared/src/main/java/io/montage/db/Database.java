package io.montage.db;

import io.micronaut.data.connection.ConnectionDefinition;
import io.micronaut.data.connection.ConnectionOperations;
import jakarta.inject.Singleton;
import org.postgresql.PGStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The only way Montage code runs SQL: every unit of work is one transaction, either inside one tenant
 * (row-level security shows that tenant's rows only) or as the system role (cross-tenant infrastructure work).
 * There is deliberately no third way: a query cannot run without choosing.
 * <p>
 * The transaction's connection is also the one Micronaut Data's repositories see while {@code work} runs (it is
 * opened through their {@link ConnectionOperations}), so a repository call inside {@code work} is inside the
 * tenant or the system role too; outside any such transaction a repository has no connection and fails
 * ({@link RepositoryConnections}).
 * <p>
 * A unit of work can also send its transaction's settings together with its first statement (its {@link Lead}), and
 * a unit that is that statement alone costs ONE round trip: the settings and the statement go in one message batch,
 * in autocommit, and PostgreSQL runs what precedes one Sync as one implicit transaction, so the settings (all
 * transaction-local) apply to the statement and end with it (DatabaseOneTripTest proves both). Such a statement
 * is never server-prepared: once pgjdbc has described a prepared statement whose rows have no bounded size (any
 * text column), it sends a Sync before it (its guard against filling both sockets' buffers), which would end the
 * implicit transaction between the settings and the statement, and the statement would run without them. So a
 * one-trip statement whose rows hold text is parsed and planned on every run; one whose rows are of fixed width
 * ({@link Lead#fixedWidthRows}) may be prepared.
 */
@Singleton
public class Database {

    /** Deadlock and serialization failure: the transaction did nothing and may simply run again. */
    private static final Set<String> RETRYABLE_STATES = Set.of("40P01", "40001");
    private static final int MAX_TRIES = 4;
    /**
     * The settings a lead statement travels behind: the role (the system role, or NULL: the login role's own), the
     * tenant (NULL: none, so every tenant policy matches nothing), the commit's durability (NULL: the server's) and,
     * for a prepared lead that is its whole transaction, its generic plan ({@link #GENERIC_PLAN}; NULL: the server's
     * choice). Parameters 1-4; the lead's own follow, then its trailer's.
     */
    private static final String SETTINGS = "SELECT set_config('role', coalesce(?, current_setting('role')), true), "
            + "set_config('montage.tenant_id', coalesce(?, ''), true), "
            + "set_config('synchronous_commit', coalesce(?, current_setting('synchronous_commit')), true), "
            + "set_config('plan_cache_mode', coalesce(?, current_setting('plan_cache_mode')), true); ";
    private static final int SETTINGS_PARAMS = 4;
    /**
     * A prepared one-trip lead runs its generic plan: such a lead writes the rows it is given (one job, one task's
     * end), so no parameter's value changes its best plan. Left to itself, PostgreSQL
     * planned the enqueue afresh on every run (0.5 ms, as long as running it): its generic plan's estimates
     * (generate_series and unnest over parameters: 1,000 and 10 rows) cost it 135 against 0.3 for one item's custom
     * plan, so the generic plan never won (docs/benchmarks.md, "issue 10, session 4").
     */
    private static final String GENERIC_PLAN = "force_generic_plan";

    private final ConnectionOperations<Connection> connections;
    private final String setSystemRole;
    private final String systemRole;

    public Database(ConnectionOperations<Connection> connections, DatabaseConfig config) {
        this.connections = connections;
        this.setSystemRole = "SET LOCAL ROLE " + quoteIdentifier(config.systemRole());
        this.systemRole = config.systemRole();
    }

    /** Runs {@code work} in one transaction that sees and writes only {@code tenantId}'s rows. */
    public <T> T inTenant(UUID tenantId, SqlWork<T> work) {
        requireTenant(tenantId);
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

    /** {@code lead} alone, inside {@code tenantId}, in one round trip and one transaction. */
    public <T> T inTenant(UUID tenantId, Durability durability, Lead<T> lead) {
        requireTenant(tenantId);
        return onConnection(c -> autocommitted(c, connection -> lead(connection, null, tenantId, durability, lead,
                null, Planning.alone(lead))));
    }

    /**
     * {@code lead}, then {@code trailer}, inside {@code tenantId}, in one round trip and one transaction: the trailer
     * is a write that belongs with the lead's (a quota's usage, counted as the job is queued) and refuses it by failing,
     * which rolls both back. The trailer's rows are read after the lead's; both must be of fixed width to be prepared.
     */
    public <T> T inTenant(UUID tenantId, Durability durability, Lead<T> lead, Lead<?> trailer) {
        requireTenant(tenantId);
        return onConnection(c -> autocommitted(c, connection -> lead(connection, null, tenantId, durability, lead,
                trailer, Planning.alone(lead, trailer))));
    }

    /** {@code lead} alone, as the system role, in one round trip and one transaction. */
    public <T> T asSystem(Durability durability, Lead<T> lead) {
        return onConnection(c -> autocommitted(c, connection -> lead(connection, systemRole, null, durability, lead,
                null, Planning.alone(lead))));
    }

    /**
     * {@code call} alone, in one round trip and one transaction, with nothing in front of it: the call of a SECURITY
     * DEFINER function owned by the system role, which enters that role and makes its transaction-local settings
     * itself (V27's claim). With no settings before it, pgjdbc sends no Sync ahead of it, so it is prepared even when
     * its rows hold text, and the function's own statements keep their plans per session.
     */
    public <T> T callAsSystem(Lead<T> call) {
        return onConnection(c -> autocommitted(c, call::runOn));
    }

    private static void requireTenant(UUID tenantId) {
        if (tenantId == null) {
            throw new IllegalArgumentException("tenantId is required");
        }
    }

    /** How a lead statement is planned. */
    private enum Planning {
        /** Never prepared: a one-trip lead whose rows hold text (see the class comment). */
        EACH_RUN,
        /** Prepared, run with its generic plan ({@link #GENERIC_PLAN}): the lead (and its trailer) is its transaction. */
        GENERIC;

        static Planning alone(Lead<?> lead) {
            return lead.fixedWidthRows() ? GENERIC : EACH_RUN;
        }

        static Planning alone(Lead<?> lead, Lead<?> trailer) {
            return lead.fixedWidthRows() && trailer.fixedWidthRows() ? GENERIC : EACH_RUN;
        }
    }

    /**
     * Sends the settings, the lead statement and the trailer (if any) together, reads the lead's rows and then the
     * trailer's.
     */
    private static <T> T lead(Connection c, String role, UUID tenantId, Durability durability, Lead<T> lead,
                              Lead<?> trailer, Planning planning) throws SQLException {
        String sql = SETTINGS + lead.sql() + (trailer == null ? "" : "; " + trailer.sql());
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            if (planning == Planning.EACH_RUN) {
                statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
            statement.setString(1, role);
            statement.setString(2, tenantId == null ? null : tenantId.toString());
            statement.setString(3, durability == Durability.RELAXED ? "off" : null);
            statement.setString(4, planning == Planning.GENERIC ? GENERIC_PLAN : null);
            SqlParams params = new SqlParams(c, statement, SETTINGS_PARAMS + 1);
            lead.bind().bind(params);
            if (trailer != null) {
                trailer.bind().bind(params);
            }
            statement.execute(); // the settings' own row comes first
            T result = nextRows(statement, lead);
            if (trailer != null) {
                nextRows(statement, trailer);
            }
            return result;
        }
    }

    private static <T> T nextRows(PreparedStatement statement, Lead<T> of) throws SQLException {
        if (!statement.getMoreResults()) {
            throw new SQLException("a lead statement must return rows: " + of.sql());
        }
        try (var rows = statement.getResultSet()) {
            return of.read().read(rows);
        }
    }

    private <T> T inTransaction(SqlWork<T> work) {
        return onConnection(connection -> commitOrRollBack(connection, work));
    }

    /** Runs {@code use} on a connection of its own, again while the database asks for a retry. */
    private <T> T onConnection(Function<Connection, T> use) {
        for (int attempt = 1; ; attempt++) {
            try {
                // a connection of its own, as before repositories existed: an enclosing transaction is set aside
                return connections.execute(ConnectionDefinition.REQUIRES_NEW, status -> use.apply(
                        status.getConnection()));
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

    /** Runs {@code work} in autocommit (each round trip its own transaction), then gives the connection back as it was. */
    private static <T> T autocommitted(Connection connection, SqlWork<T> work) {
        try {
            boolean was = connection.getAutoCommit();
            connection.setAutoCommit(true); // no round trip: no transaction is open on a connection just taken
            try {
                return work.run(connection);
            } finally {
                connection.setAutoCommit(was);
            }
        } catch (SQLException e) {
            throw new FailedSql(e);
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
