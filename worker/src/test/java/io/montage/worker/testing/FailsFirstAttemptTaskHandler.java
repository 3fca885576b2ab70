package io.montage.worker.testing;

import io.montage.jobs.ItemOutcome;
import io.montage.jobs.contracts.JobContract;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.Task;
import io.montage.worker.tasks.TaskHandler;
import io.montage.worker.tasks.TransientTaskException;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.util.List;

/** Type "test-flaky": the first attempt of each task fails as if its model were not loaded yet, later ones succeed. */
@Singleton
public class FailsFirstAttemptTaskHandler implements TaskHandler<JsonNode, JsonNode, JsonNode> {

    public static final String TYPE = "test-flaky";
    public static final String FIRST_ATTEMPT_ERROR = "the first attempt always fails";

    private static final JobContract<JsonNode, JsonNode, JsonNode> CONTRACT = TestContracts.anyJson(TYPE);

    @Override
    public JobContract<JsonNode, JsonNode, JsonNode> contract() {
        return CONTRACT;
    }

    @Override
    public List<ItemOutcome> run(Task<JsonNode, JsonNode> task, List<Item<JsonNode>> items) {
        int attempt = task.claimed().attempt();
        if (attempt == 1) {
            throw new TransientTaskException(FIRST_ATTEMPT_ERROR);
        }
        return items.stream().map(item -> task.succeeded(item.seq(),
                TestContracts.field("attempt", JsonNode.createNumberNode(attempt)))).toList();
    }
}
