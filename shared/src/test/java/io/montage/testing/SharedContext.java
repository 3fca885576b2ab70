package io.montage.testing;

import io.micronaut.context.ApplicationContext;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** One Micronaut context per test JVM over the test database: beans as production wires them. */
public final class SharedContext {

    private static ApplicationContext context;

    private SharedContext() {
    }

    public static synchronized ApplicationContext get() {
        if (context == null) {
            context = ApplicationContext.run(properties(), "test");
            TestDatabase.closeBeforeDrop(context);
        }
        return context;
    }

    /** The test database, and a model store of this JVM's own. */
    public static Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>(TestDatabase.properties());
        try {
            Path store = Files.createTempDirectory("montage-models");
            properties.put("montage.models.store", store.toString());
            properties.put("montage.metrics.port", 0); // the worker's and console's exposition, on a free port
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    public static <T> T bean(Class<T> type) {
        return get().getBean(type);
    }

    /** A tenant no other test uses. */
    public static Tenant newTenant() {
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 8);
        return bean(TenantService.class).create(slug, "Test tenant " + slug);
    }
}
