package io.montage.worker.echo;

import io.micronaut.json.tree.JsonNode;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.Priority;
import io.montage.jobs.contracts.EchoJob;
import io.montage.jobs.contracts.JobCodec;
import io.montage.jobs.contracts.NoParams;
import io.montage.testing.SharedContext;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.Task;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Inputs the queue can hand over but the end-to-end test does not need to cover. */
class EchoTaskHandlerTest {

    private final EchoTaskHandler handler = new EchoTaskHandler();
    private final JobCodec codec = SharedContext.bean(JobCodec.class);
    private final Task<NoParams, EchoJob.Result> task = new Task<>(new ClaimedTask(1, UUID.randomUUID(),
            UUID.randomUUID(), EchoJob.NAME, Priority.BULK, null, "{}", 1, 5, UUID.randomUUID(), Instant.now(), 0, null,
            null),
            NoParams.NONE, result -> codec.result(EchoJob.CONTRACT, result));

    @Test
    void aJsonNullIsEchoed() {
        // the contract reads a stored JSON null as no input at all
        assertEquals(List.of(ItemOutcome.succeeded(0, "{\"echo\":null}")),
                handler.run(task, List.of(new Item<>(0, null, null))));
    }

    @Test
    void anObjectWithAFailMessageFailsThatItemOnly() {
        JsonNode fails = JsonNode.createObjectNode(Map.of("fail", JsonNode.createStringNode("told to")));
        JsonNode echoed = JsonNode.createObjectNode(Map.of("fail", JsonNode.createNumberNode(1)));
        assertEquals(List.of(ItemOutcome.failed(0, "echo_failed", "told to"),
                        ItemOutcome.succeeded(1, "{\"echo\":{\"fail\":1}}")),
                handler.run(task, List.of(new Item<>(0, "a", fails), new Item<>(1, "b", echoed))));
    }
}
