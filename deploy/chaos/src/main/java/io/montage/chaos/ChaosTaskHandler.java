package io.montage.chaos;

import io.micronaut.json.tree.JsonNode;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.contracts.EchoJob;
import io.montage.jobs.contracts.JobContract;
import io.montage.jobs.contracts.NoParams;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.Task;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link ChaosJob} items: sleeps each item's {@code sleep_ms}, then echoes it; an item with {@code exit} halts
 * the JVM with that status before any outcome is written (no shutdown hook, no drain: a hard crash). A bean only on
 * the chaos experiments' classpath, beside the worker's jar.
 */
@Singleton
final class ChaosTaskHandler implements TaskHandler<NoParams, JsonNode, EchoJob.Result> {

    @Override
    public JobContract<NoParams, JsonNode, EchoJob.Result> contract() {
        return ChaosJob.CONTRACT;
    }

    @Override
    public List<ItemOutcome> run(Task<NoParams, EchoJob.Result> task, List<Item<JsonNode>> items)
            throws InterruptedException {
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        for (Item<JsonNode> item : items) {
            JsonNode input = item.input();
            JsonNode exit = input.get("exit");
            if (exit != null && exit.isNumber()) {
                Runtime.getRuntime().halt(exit.getIntValue());
            }
            JsonNode sleep = input.get("sleep_ms");
            if (sleep != null && sleep.isNumber()) {
                Thread.sleep(sleep.getLongValue());
            }
            outcomes.add(task.succeeded(item.seq(), new EchoJob.Result(input)));
        }
        return outcomes;
    }
}
