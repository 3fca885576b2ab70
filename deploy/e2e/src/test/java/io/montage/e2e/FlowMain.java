package io.montage.e2e;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs the whole-flow test against the platform deploy/local/console-flow-test.sh started (JUnit's launcher, outside
 * Maven: the flow needs that platform), prints each step as it ends and each failure with its stack trace, and exits
 * 1 when a step failed or none ran.
 */
public final class FlowMain {

    private FlowMain() {
    }

    public static void main(String[] args) {
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request().selectors(selectClass(ConsoleFlowTest.class)).build(), summary, new StepPrinter());
        TestExecutionSummary result = summary.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        if (!result.getFailures().isEmpty()) {
            out.println();
            result.printFailuresTo(out, 25);
        }
        out.printf("flow: %d passed, %d failed, %d skipped%n", result.getTestsSucceededCount(),
                result.getTotalFailureCount(), result.getTestsSkippedCount() + result.getTestsAbortedCount());
        System.exit(result.getTotalFailureCount() == 0 && result.getTestsSucceededCount() > 0 ? 0 : 1);
    }

    /** One line per step: passed (with its time), FAILED (with why), or skipped. */
    private static final class StepPrinter implements TestExecutionListener {

        private long started;

        @Override
        public void executionStarted(TestIdentifier step) {
            started = System.nanoTime();
        }

        @Override
        public void executionSkipped(TestIdentifier step, String reason) {
            System.out.println("flow: skipped " + step.getDisplayName() + " (" + reason + ")");
        }

        @Override
        public void executionFinished(TestIdentifier step, TestExecutionResult result) {
            if (!step.isTest()) {
                result.getThrowable().ifPresent(e -> System.out.println("flow: FAILED " + step.getDisplayName() + ": " + e));
                return;
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            switch (result.getStatus()) {
                case SUCCESSFUL -> System.out.printf("flow: passed %s (%.1f s)%n", step.getDisplayName(), ms / 1000.0);
                case FAILED, ABORTED -> System.out.println("flow: " + (result.getStatus() == TestExecutionResult.Status.FAILED
                        ? "FAILED " : "aborted ") + step.getDisplayName() + ": " + result.getThrowable().map(String::valueOf).orElse(""));
            }
        }
    }
}
