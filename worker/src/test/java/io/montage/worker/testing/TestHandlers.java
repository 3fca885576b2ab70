package io.montage.worker.testing;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

/**
 * The sleeping handlers tests control: "test-slow" in every test context, and one with a type of the test's
 * choosing (montage.test.sleeping-type) only in a context a test starts for itself, so no other worker in the
 * test JVM ever claims its tasks.
 */
@Factory
public class TestHandlers {

    public static final String SLOW = "test-slow";
    public static final String PRIVATE_TYPE_PROPERTY = "montage.test.sleeping-type";

    @Singleton
    SleepingTaskHandler slow() {
        return new SleepingTaskHandler(SLOW);
    }

    @Singleton
    @Requires(property = PRIVATE_TYPE_PROPERTY)
    SleepingTaskHandler privateType(@Property(name = PRIVATE_TYPE_PROPERTY) String type) {
        return new SleepingTaskHandler(type);
    }

    /** The handler of {@code type} in {@code context}. */
    public static <T extends TaskHandler<?, ?, ?>> T find(ApplicationContext context, String type, Class<T> handlerClass) {
        return context.getBeansOfType(TaskHandler.class).stream()
                .filter(handler -> handler.contract().name().equals(type))
                .map(handlerClass::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no task handler for " + type));
    }
}
