package io.montage.testing;

import io.micronaut.context.ApplicationContext;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;

import java.util.UUID;

/** One Micronaut context per test JVM over the test database: beans as production wires them. */
public final class SharedContext {

    private static ApplicationContext context;

    private SharedContext() {
    }

    public static synchronized ApplicationContext get() {
        if (context == null) {
            context = ApplicationContext.run(TestDatabase.properties(), "test");
            TestDatabase.closeBeforeDrop(context);
        }
        return context;
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
