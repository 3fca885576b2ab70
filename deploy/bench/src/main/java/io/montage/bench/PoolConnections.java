package io.montage.bench;

import io.micronaut.data.connection.ConnectionDefinition;
import io.micronaut.data.connection.ConnectionStatus;
import io.micronaut.data.connection.support.AbstractConnectionOperations;
import io.montage.db.Database;
import io.montage.db.DatabaseConfig;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A {@link Database} over a pool, wired by hand as the benches wire the platform's pieces (no Micronaut context,
 * which would start the worker that is on their classpath). Each unit of work takes a connection of the pool, as
 * Micronaut Data's own connection operations do in the services.
 */
public final class PoolConnections extends AbstractConnectionOperations<Connection> {

    private final DataSource pool;

    private PoolConnections(DataSource pool) {
        this.pool = pool;
    }

    public static Database database(DataSource pool, DatabaseConfig config) {
        return new Database(new PoolConnections(pool), config);
    }

    @Override
    protected Connection openConnection(ConnectionDefinition definition) {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("no connection from the pool: " + e.getMessage(), e);
        }
    }

    @Override
    protected void setupConnection(ConnectionStatus<Connection> status) {
        // the pool's connections are set up already (auto-commit off)
    }

    @Override
    protected void closeConnection(ConnectionStatus<Connection> status) {
        try {
            status.getConnection().close();
        } catch (SQLException e) {
            throw new IllegalStateException("closing a connection failed: " + e.getMessage(), e);
        }
    }
}
