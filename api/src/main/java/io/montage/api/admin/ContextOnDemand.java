package io.montage.api.admin;

import io.micronaut.context.ApplicationContext;

import java.util.function.Supplier;

/**
 * The admin commands' application context, started the first time a command is about to run: {@code --help} and a
 * usage error never start it, so they work without a database (starting it migrates the schema).
 */
final class ContextOnDemand implements Supplier<ApplicationContext>, AutoCloseable {

    private ApplicationContext context;

    @Override
    public synchronized ApplicationContext get() {
        if (context == null) {
            context = ApplicationContext.builder().deduceEnvironment(false).start();
        }
        return context;
    }

    @Override
    public synchronized void close() {
        if (context != null) {
            context.close();
        }
    }
}
