package io.montage.db;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;
import io.micronaut.context.env.PropertySource;

import java.util.Map;

/**
 * How Micronaut Data's repositories use the pool, in every process and test context: they speak PostgreSQL and
 * never open a connection of their own. Outside {@link Database#inTenant} and {@link Database#asSystem} a
 * repository call fails ("Connection is required for this operation") instead of running on a fresh connection
 * where no tenant is set (row-level security would show it nothing) and no one commits (its writes would vanish).
 * Set with the highest priority, so no configuration file or environment variable can turn it off.
 */
@ContextConfigurer
public final class RepositoryConnections implements ApplicationContextConfigurer {

    static final String DATA_SOURCE = "default";

    @Override
    public void configure(ApplicationContextBuilder builder) {
        String prefix = "datasources." + DATA_SOURCE + ".";
        builder.propertySources(PropertySource.of("montage-repositories",
                Map.of(prefix + "dialect", "POSTGRES", prefix + "allow-connection-per-operation", false),
                Integer.MAX_VALUE));
    }
}
