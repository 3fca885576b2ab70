package io.montage.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.annotation.Factory;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;

/**
 * The application's connection pool, as the non-owner role: the "default" data source the repositories name
 * ({@link RepositoryConnections}).
 */
@Factory
class DataSourceFactory implements AutoCloseable {

    private HikariDataSource pool;

    /** Declared as a DataSource: Micronaut Data wraps it in a proxy that is no HikariDataSource. */
    @Singleton
    @Named(RepositoryConnections.DATA_SOURCE)
    DataSource applicationDataSource(DatabaseConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("montage");
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        // Every unit of work is an explicit transaction (see Database): the tenant setting is transaction-local.
        hikari.setAutoCommit(false);
        hikari.addDataSourceProperty("ApplicationName", "montage");
        pool = new HikariDataSource(hikari);
        return pool;
    }

    @Override
    @PreDestroy
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
