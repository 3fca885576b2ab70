package io.montage.worker.testing;

import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.worker.tasks.NonRetryableTaskException;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.util.List;

/** Type "test-rejecting": every task fails in a way no retry can fix. */
@Singleton
public class RejectingTaskHandler implements TaskHandler {

    public static final String TYPE = "test-rejecting";
    public static final String CODE = "never_works";
    public static final String REASON = "these parameters can never work";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ItemOutcome> run(ClaimedTask task, List<TaskItem> items) throws NonRetryableTaskException {
        throw new NonRetryableTaskException(CODE, REASON);
    }
}
