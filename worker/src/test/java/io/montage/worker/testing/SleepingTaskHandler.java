package io.montage.worker.testing;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.worker.tasks.TaskHandler;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A task whose end the test controls: sleeps for the job's {@code sleep_ms} parameter and then succeeds every
 * item, or without it sleeps until interrupted. Counts the interrupts it received.
 */
public final class SleepingTaskHandler implements TaskHandler {

    private static final Duration UNTIL_INTERRUPTED = Duration.ofDays(1);

    private final String type;
    private final JsonMapper json;
    private final AtomicInteger interruptions = new AtomicInteger();

    SleepingTaskHandler(String type, JsonMapper json) {
        this.type = type;
        this.json = json;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public List<ItemOutcome> run(ClaimedTask task, List<TaskItem> items) throws IOException, InterruptedException {
        try {
            Thread.sleep(sleepFor(task));
        } catch (InterruptedException e) {
            interruptions.incrementAndGet();
            throw e;
        }
        return items.stream().map(item -> ItemOutcome.succeeded(item.seq(), "{\"slept\":true}")).toList();
    }

    public int interruptions() {
        return interruptions.get();
    }

    private Duration sleepFor(ClaimedTask task) throws IOException {
        JsonNode sleepMillis = json.readValue(task.paramsJson(), JsonNode.class).get("sleep_ms");
        return sleepMillis == null ? UNTIL_INTERRUPTED : Duration.ofMillis(sleepMillis.getLongValue());
    }
}
