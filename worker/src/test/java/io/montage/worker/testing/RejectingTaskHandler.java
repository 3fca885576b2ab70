package io.montage.worker.testing;

import io.micronaut.json.tree.JsonNode;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.contracts.JobContract;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.NonRetryableTaskException;
import io.montage.worker.tasks.Task;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.util.List;

/** Type "test-rejecting": every task fails in a way no retry can fix. */
@Singleton
public class RejectingTaskHandler implements TaskHandler<JsonNode, JsonNode, JsonNode> {

    public static final String TYPE = "test-rejecting";
    public static final String CODE = "never_works";
    public static final String REASON = "these parameters can never work";

    private static final JobContract<JsonNode, JsonNode, JsonNode> CONTRACT = TestContracts.anyJson(TYPE);

    @Override
    public JobContract<JsonNode, JsonNode, JsonNode> contract() {
        return CONTRACT;
    }

    @Override
    public List<ItemOutcome> run(Task<JsonNode, JsonNode> task, List<Item<JsonNode>> items)
            throws NonRetryableTaskException {
        throw new NonRetryableTaskException(CODE, REASON);
    }
}
