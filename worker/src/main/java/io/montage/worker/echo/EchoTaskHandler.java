package io.montage.worker.echo;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Task type "echo": each item's result is {@code {"echo": <its input>}}. An input object with a string field
 * {@code "fail"} makes that item fail with code {@code echo_failed} and that string as message, so per-item errors
 * can be shown end to end without a model.
 */
@Singleton
final class EchoTaskHandler implements TaskHandler {

    static final String TYPE = "echo";

    private final JsonMapper json;

    EchoTaskHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ItemOutcome> run(ClaimedTask task, List<TaskItem> items) throws IOException {
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        for (TaskItem item : items) {
            outcomes.add(echo(item));
        }
        return outcomes;
    }

    private ItemOutcome echo(TaskItem item) throws IOException {
        JsonNode input;
        try {
            input = json.readValue(item.inputJson(), JsonNode.class);
        } catch (IOException e) {
            // inputs are stored as json, so this means a bug upstream: fail the item, not the whole task
            return ItemOutcome.failed(item.seq(), "invalid_input", "the input is not JSON");
        }
        if (input == null) { // the mapper reads a JSON null as no node at all
            input = JsonNode.nullNode();
        }
        JsonNode fail = input.isObject() ? input.get("fail") : null;
        if (fail != null && fail.isString()) {
            return ItemOutcome.failed(item.seq(), "echo_failed", fail.getStringValue());
        }
        JsonNode result = JsonNode.createObjectNode(Map.of("echo", input));
        return ItemOutcome.succeeded(item.seq(), json.writeValueAsString(result));
    }
}
