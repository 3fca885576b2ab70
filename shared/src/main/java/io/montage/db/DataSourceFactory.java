package io.montage.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.util.Optional;

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
    DataSource applicationDataSource(DatabaseConfig config, Optional<MeterRegistry> metrics) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("montage");
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        // Every unit of work is an explicit transaction (see Database): the tenant setting is transaction-local.
        hikari.setAutoCommit(false);
        hikari.addDataSourceProperty("ApplicationName", "montage");
        // Hikari's own binding: hikaricp_connections{pool="montage",state=active|idle|pending}, acquire times
        metrics.ifPresent(registry -> hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry)));
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
