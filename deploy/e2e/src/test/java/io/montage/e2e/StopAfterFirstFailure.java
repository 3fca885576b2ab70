package io.montage.e2e;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The flow's steps build on each other (a key, then a job with it…): once one fails, the rest are skipped, naming
 * the step that failed, instead of failing for that step's reason again.
 */
final class StopAfterFirstFailure implements TestWatcher, ExecutionCondition {

    private static final ExtensionContext.Namespace FLOW = ExtensionContext.Namespace.create(StopAfterFirstFailure.class);

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        context.getRoot().getStore(FLOW).put("failed", context.getDisplayName());
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String failed = context.getRoot().getStore(FLOW).get("failed", String.class);
        return failed == null ? ConditionEvaluationResult.enabled("no step failed so far")
                : ConditionEvaluationResult.disabled("skipped: the earlier step " + failed + " failed");
    }
}
