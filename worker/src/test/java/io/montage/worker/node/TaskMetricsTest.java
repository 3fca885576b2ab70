package io.montage.worker.node;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.montage.jobs.Job;
import io.montage.jobs.JobStatus;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.jobs.contracts.EchoJob;
import io.montage.metrics.MetricsExposition;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import io.montage.worker.testing.RejectingTaskHandler;
import io.montage.worker.testing.TestJobs;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker's Prometheus exposition (montage.metrics.port, ADR 0026), scraped over HTTP: a task run records its
 * duration by type and outcome, and a task's log lines carry its id and its job's request id in the MDC.
 */
class TaskMetricsTest {

    private static String scrape() {
        int port = SharedContext.bean(MetricsExposition.class).port().orElseThrow();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            return response.body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The value of the series {@code name} of task type {@code type} and {@code outcome}; 0 while it is absent. */
    private static double tasks(String name, String type, String outcome) {
        Matcher line = Pattern.compile("(?m)^" + name + "\\{([^}]*)} (\\S+)$").matcher(scrape());
        while (line.find()) {
            if (line.group(1).contains("type=\"" + type + "\"") && line.group(1).contains("outcome=\"" + outcome + "\"")) {
                return Double.parseDouble(line.group(2));
            }
        }
        return 0;
    }

    @Test
    void aTaskRunRecordsItsDurationByTypeAndOutcome() {
        Tenant tenant = SharedContext.newTenant();
        double before = tasks("montage_worker_tasks_seconds_count", EchoJob.NAME, "succeeded");
        Job done = TestJobs.awaitEnd(tenant, TestJobs.submit(tenant, EchoJob.NAME, "{}", 3), Duration.ofSeconds(20));
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertTrue(tasks("montage_worker_tasks_seconds_count", EchoJob.NAME, "succeeded") >= before + 1);
        assertTrue(tasks("montage_worker_tasks_seconds_sum", EchoJob.NAME, "succeeded") > 0);
    }

    @Test
    void aFailedTaskIsCountedAndItsLogLineCarriesTheTaskAndRequestIds() {
        Logger runner = (Logger) LoggerFactory.getLogger(TaskRunner.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        runner.addAppender(lines);
        try {
            Tenant tenant = SharedContext.newTenant();
            double before = tasks("montage_worker_tasks_seconds_count", RejectingTaskHandler.TYPE, "failed");
            Job submitted = TestJobs.submit(tenant, new NewJob(RejectingTaskHandler.TYPE, Priority.BULK, "{}",
                    List.of(new NewItem("only", "{}"))).withRequestId("req-from-the-api-7"));
            Job done = TestJobs.awaitEnd(tenant, submitted, Duration.ofSeconds(20));
            assertEquals(JobStatus.FAILED, done.status());
            assertTrue(tasks("montage_worker_tasks_seconds_count", RejectingTaskHandler.TYPE, "failed") >= before + 1);
            ILoggingEvent failure = lines.list.stream()
                    .filter(event -> event.getFormattedMessage().contains(RejectingTaskHandler.CODE))
                    .reduce((first, second) -> second)
                    .orElseThrow(() -> new AssertionError("no log line of the failed task: " + lines.list));
            assertEquals("req-from-the-api-7", failure.getMDCPropertyMap().get(TaskRunner.REQUEST_ID));
            String taskId = failure.getMDCPropertyMap().get(TaskRunner.TASK_ID);
            assertTrue(taskId != null && failure.getFormattedMessage().startsWith("task " + taskId + " "),
                    failure.getMDCPropertyMap() + " " + failure.getFormattedMessage());
        } finally {
            runner.detachAppender(lines);
        }
    }
}
