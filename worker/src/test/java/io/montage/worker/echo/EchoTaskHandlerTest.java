package io.montage.worker.echo;

import io.micronaut.json.JsonMapper;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.Priority;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Inputs the queue can hand over but the end-to-end test does not need to cover. */
class EchoTaskHandlerTest {

    private final EchoTaskHandler handler = new EchoTaskHandler(SharedContext.bean(JsonMapper.class));
    private final ClaimedTask task = new ClaimedTask(1, UUID.randomUUID(), UUID.randomUUID(), EchoTaskHandler.TYPE,
            Priority.BULK, null, "{}", 1, 5, UUID.randomUUID(), Instant.now());

    @Test
    void anItemThatIsNotJsonFailsAloneInsteadOfFailingTheTask() throws IOException {
        List<ItemOutcome> outcomes = handler.run(task, List.of(new TaskItem(0, "bad", "{not json"),
                new TaskItem(1, "good", "{\"a\":1}")));

        assertEquals("invalid_input", outcomes.get(0).errorCode());
        assertEquals(ItemOutcome.succeeded(1, "{\"echo\":{\"a\":1}}"), outcomes.get(1));
    }

    @Test
    void aJsonNullIsEchoed() throws IOException {
        assertEquals(List.of(ItemOutcome.succeeded(0, "{\"echo\":null}")),
                handler.run(task, List.of(new TaskItem(0, null, "null"))));
    }
}
