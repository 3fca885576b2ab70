package io.montage.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The application's connection pool, as the non-owner role. */
@Factory
class DataSourceFactory {

    @Singleton
    @Bean(preDestroy = "close")
    HikariDataSource applicationDataSource(DatabaseConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("montage");
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        // Every unit of work is an explicit transaction (see Database): the tenant setting is transaction-local.
        hikari.setAutoCommit(false);
        hikari.addDataSourceProperty("ApplicationName", "montage");
        return new HikariDataSource(hikari);
    }
}
