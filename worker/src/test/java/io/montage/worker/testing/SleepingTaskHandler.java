package io.montage.worker.testing;

import io.micronaut.json.tree.JsonNode;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.contracts.JobContract;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.Task;
import io.montage.worker.tasks.TaskHandler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A task whose end the test controls: sleeps for the job's {@code sleep_ms} parameter and then succeeds every
 * item, or without it sleeps until interrupted. Counts the interrupts it received.
 */
public final class SleepingTaskHandler implements TaskHandler<JsonNode, JsonNode, JsonNode> {

    private static final Duration UNTIL_INTERRUPTED = Duration.ofDays(1);

    private final JobContract<JsonNode, JsonNode, JsonNode> contract;
    private final AtomicInteger interruptions = new AtomicInteger();

    SleepingTaskHandler(String type) {
        this.contract = TestContracts.anyJson(type);
    }

    @Override
    public JobContract<JsonNode, JsonNode, JsonNode> contract() {
        return contract;
    }

    @Override
    public List<ItemOutcome> run(Task<JsonNode, JsonNode> task, List<Item<JsonNode>> items)
            throws InterruptedException {
        try {
            Thread.sleep(sleepFor(task.params()));
        } catch (InterruptedException e) {
            interruptions.incrementAndGet();
            throw e;
        }
        return items.stream().map(item -> task.succeeded(item.seq(),
                TestContracts.field("slept", JsonNode.createBooleanNode(true)))).toList();
    }

    public int interruptions() {
        return interruptions.get();
    }

    private static Duration sleepFor(JsonNode params) {
        JsonNode sleepMillis = params.get("sleep_ms");
        return sleepMillis == null ? UNTIL_INTERRUPTED : Duration.ofMillis(sleepMillis.getLongValue());
    }
}
