package io.montage.worker.testing;

import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.worker.tasks.TaskHandler;
import io.montage.worker.tasks.TransientTaskException;
import jakarta.inject.Singleton;

import java.util.List;

/** Type "test-flaky": the first attempt of each task fails as if its model were not loaded yet, later ones succeed. */
@Singleton
public class FailsFirstAttemptTaskHandler implements TaskHandler {

    public static final String TYPE = "test-flaky";
    public static final String FIRST_ATTEMPT_ERROR = "the first attempt always fails";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ItemOutcome> run(ClaimedTask task, List<TaskItem> items) {
        if (task.attempt() == 1) {
            throw new TransientTaskException(FIRST_ATTEMPT_ERROR);
        }
        return items.stream().map(item -> ItemOutcome.succeeded(item.seq(), "{\"attempt\":" + task.attempt() + "}"))
                .toList();
    }
}
