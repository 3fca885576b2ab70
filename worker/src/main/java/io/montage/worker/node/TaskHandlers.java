package io.montage.worker.node;

import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The handlers this worker serves, by the name of the job contract each declares: every {@link TaskHandler} bean, or
 * only those that montage.worker.types names (to keep, say, GPU task types on GPU machines).
 */
@Singleton
final class TaskHandlers {

    private final SortedMap<String, TaskHandler<?, ?, ?>> byType;

    TaskHandlers(List<TaskHandler<?, ?, ?>> handlers, WorkerConfig config) {
        SortedMap<String, TaskHandler<?, ?, ?>> available = new TreeMap<>();
        for (TaskHandler<?, ?, ?> handler : handlers) {
            String type = handler.contract().name();
            TaskHandler<?, ?, ?> other = available.putIfAbsent(type, handler);
            if (other != null) {
                throw new IllegalStateException("task type " + type + " has two handlers: "
                        + other.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
        this.byType = Collections.unmodifiableSortedMap(
                config.types().isEmpty() ? available : only(config.types(), available));
    }

    private static SortedMap<String, TaskHandler<?, ?, ?>> only(List<String> types,
                                                             SortedMap<String, TaskHandler<?, ?, ?>> available) {
        SortedMap<String, TaskHandler<?, ?, ?>> chosen = new TreeMap<>();
        for (String type : types) {
            TaskHandler<?, ?, ?> handler = available.get(type);
            if (handler == null) {
                throw new IllegalStateException("montage.worker.types names " + type
                        + ", but no task handler runs it (available: " + available.keySet() + ")");
            }
            chosen.put(type, handler);
        }
        return chosen;
    }

    /** The served types, sorted. */
    Set<String> types() {
        return byType.keySet();
    }

    boolean serves(String type) {
        return byType.containsKey(type);
    }

    TaskHandler<?, ?, ?> forType(String type) {
        TaskHandler<?, ?, ?> handler = byType.get(type);
        if (handler == null) {
            throw new IllegalStateException("this worker does not serve task type " + type);
        }
        return handler;
    }
}
