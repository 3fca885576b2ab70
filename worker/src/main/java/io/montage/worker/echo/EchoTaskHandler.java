package io.montage.worker.echo;

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
 * Runs {@link EchoJob}: each item's result is {@code {"echo": <its input>}}. An input object with a string field
 * {@code "fail"} makes that item fail with code {@code echo_failed} and that string as message, so per-item errors
 * can be shown end to end without a model.
 */
@Singleton
final class EchoTaskHandler implements TaskHandler<NoParams, JsonNode, EchoJob.Result> {

    @Override
    public JobContract<NoParams, JsonNode, EchoJob.Result> contract() {
        return EchoJob.CONTRACT;
    }

    @Override
    public List<ItemOutcome> run(Task<NoParams, EchoJob.Result> task, List<Item<JsonNode>> items) {
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        for (Item<JsonNode> item : items) {
            outcomes.add(echo(task, item));
        }
        return outcomes;
    }

    private static ItemOutcome echo(Task<NoParams, EchoJob.Result> task, Item<JsonNode> item) {
        JsonNode input = item.input() == null ? JsonNode.nullNode() : item.input(); // JSON null reads as no node
        JsonNode fail = input.isObject() ? input.get("fail") : null;
        if (fail != null && fail.isString()) {
            return ItemOutcome.failed(item.seq(), "echo_failed", fail.getStringValue());
        }
        return task.succeeded(item.seq(), new EchoJob.Result(input));
    }
}
