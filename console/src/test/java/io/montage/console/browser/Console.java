package io.montage.console.browser;

import io.micronaut.context.ApplicationContext;
import io.montage.admins.AdminAccounts;
import io.montage.admins.AdminUser;
import io.montage.console.hosting.ConsoleServer;
import io.montage.testing.SharedContext;
import io.montage.testing.TestDatabase;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The console started in-process once per test JVM, on a free port over the test database, with an admin and a
 * viewer account. Its beans are the shared services the tests check the console's effects with.
 */
final class Console {

    static final String PASSWORD = "browser-test-password";
    static final int MAX_FAILURES = 3;

    private static ApplicationContext context;
    private static String admin;
    private static String viewer;

    private Console() {
    }

    static synchronized ApplicationContext context() {
        if (context == null) {
            context = start(Map.of());
            admin = account(AdminUser.ADMIN);
            viewer = account(AdminUser.VIEWER);
        }
        return context;
    }

    /** Another console over the same database, with some settings of its own (a short session timeout…). */
    static ApplicationContext start(Map<String, Object> settings) {
        Map<String, Object> properties = new HashMap<>(SharedContext.properties());
        properties.put("montage.console.port", 0);
        properties.put("montage.console.login-max-failures", MAX_FAILURES);
        properties.put("montage.console.refresh-interval", "500ms");
        properties.putAll(settings);
        ApplicationContext started = ApplicationContext.run(properties, "test");
        TestDatabase.closeBeforeDrop(started);
        return started;
    }

    static <T> T bean(Class<T> type) {
        return context().getBean(type);
    }

    static String url() {
        return bean(ConsoleServer.class).url();
    }

    static String admin() {
        context();
        return admin;
    }

    static String viewer() {
        context();
        return viewer;
    }

    /** A new account of this role (so a test's failed sign-ins lock out no other test). */
    static String account(String role) {
        String name = role + "-" + UUID.randomUUID().toString().substring(0, 8);
        bean(AdminAccounts.class).create(name, role, PASSWORD);
        return name;
    }
}
