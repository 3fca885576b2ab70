package io.montage.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** The connection pools the database-only benches open, named so that pg_stat_activity tells whose they are. */
public final class BenchPools {

    private BenchPools() {
    }

    /**
     * A pool of {@code size} connections as {@code user}; {@code autoCommit} off for the platform's own pool (every
     * unit of work is an explicit transaction), on for the owner's (DDL, VACUUM) and for libraries that commit
     * themselves.
     */
    public static HikariDataSource open(String url, String user, String password, boolean autoCommit, int size,
                                        String applicationName) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(size);
        hikari.setAutoCommit(autoCommit);
        hikari.addDataSourceProperty("ApplicationName", applicationName);
        return new HikariDataSource(hikari);
    }
}
