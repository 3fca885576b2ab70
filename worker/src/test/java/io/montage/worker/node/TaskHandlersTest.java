package io.montage.worker.node;

import io.montage.jobs.ItemOutcome;
import io.micronaut.json.tree.JsonNode;
import io.montage.jobs.contracts.JobContract;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.Task;
import io.montage.worker.testing.TestContracts;
import io.montage.worker.tasks.TaskHandler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskHandlersTest {

    private record Named(String type) implements TaskHandler<JsonNode, JsonNode, JsonNode> {
        @Override
        public JobContract<JsonNode, JsonNode, JsonNode> contract() {
            return TestContracts.anyJson(type);
        }

        @Override
        public List<ItemOutcome> run(Task<JsonNode, JsonNode> task, List<Item<JsonNode>> items) {
            return List.of();
        }
    }

    private static WorkerConfig serving(List<String> types) {
        return new WorkerConfig(4, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(15),
                Duration.ofSeconds(30), 100, types, Duration.ofSeconds(30), Duration.ofMinutes(10), 2,
                Duration.ofDays(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofDays(7));
    }

    @Test
    void withoutConfiguredTypesEveryHandlerIsServed() {
        TaskHandler<?, ?, ?> b = new Named("b");
        TaskHandlers handlers = new TaskHandlers(List.of(b, new Named("a")), serving(null));

        assertEquals(List.of("a", "b"), List.copyOf(handlers.types()));
        assertSame(b, handlers.forType("b"));
    }

    @Test
    void configuredTypesNarrowWhatIsServed() {
        TaskHandlers handlers = new TaskHandlers(List.of(new Named("a"), new Named("b")), serving(List.of("b")));

        assertEquals(Set.of("b"), handlers.types());
        assertTrue(handlers.serves("b"));
        assertFalse(handlers.serves("a"));
        assertThrows(IllegalStateException.class, () -> handlers.forType("a"));
    }

    @Test
    void aConfiguredTypeWithoutAHandlerIsRejected() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new TaskHandlers(List.of(new Named("a")), serving(List.of("gpu-embed"))));
        assertTrue(e.getMessage().contains("gpu-embed"), e.getMessage());
    }

    @Test
    void twoHandlersForOneTypeAreRejected() {
        assertThrows(IllegalStateException.class,
                () -> new TaskHandlers(List.of(new Named("a"), new Named("a")), serving(null)));
    }
}
