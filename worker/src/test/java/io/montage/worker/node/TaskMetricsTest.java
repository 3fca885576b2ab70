package io.montage.worker.node;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.montage.db.Database;
import io.montage.jobs.Job;
import io.montage.jobs.JobIntake;
import io.montage.jobs.JobStatus;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.jobs.contracts.EchoJob;
import io.montage.metrics.MetricsExposition;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import io.montage.worker.testing.Await;
import io.montage.worker.testing.RejectingTaskHandler;
import io.montage.worker.testing.SleepingTaskHandler;
import io.montage.worker.testing.TaskRows;
import io.montage.worker.testing.TestHandlers;
import io.montage.worker.testing.TestJobs;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker's Prometheus exposition (montage.metrics.port, ADR 0026), scraped over HTTP: a task run records its
 * duration by type and outcome, a claim its round trip, a write under a lost lease is counted, and a task's log lines carry its id and its job's request id in the MDC.
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
        return series(name, "type=\"" + type + "\"", "outcome=\"" + outcome + "\"");
    }

    /** The value of the series {@code name} whose labels include all of {@code labels}; 0 while it is absent. */
    private static double series(String name, String... labels) {
        Matcher line = Pattern.compile("(?m)^" + name + "\\{([^}]*)} (\\S+)$").matcher(scrape());
        while (line.find()) {
            String found = line.group(1);
            if (Arrays.stream(labels).allMatch(found::contains)) {
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
    void aClaimIsTimedWithAHistogramByItsResult() {
        Tenant tenant = SharedContext.newTenant();
        double before = series("montage_worker_claims_seconds_count", "result=\"claimed\"");
        Job done = TestJobs.awaitEnd(tenant, TestJobs.submit(tenant, EchoJob.NAME, "{}", 2), Duration.ofSeconds(20));
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertTrue(series("montage_worker_claims_seconds_count", "result=\"claimed\"") >= before + 1);
        // the percentile buckets: a claim takes under 10 s, so the last finite bucket holds them all
        assertTrue(series("montage_worker_claims_seconds_bucket", "result=\"claimed\"", "le=\"10.0\"") >= before + 1);
    }

    /**
     * A zombie's heartbeat (its lease taken back and claimed again, as after a partition longer than the lease) is
     * refused by the lease token and counted, the new holder's lease stays as it was, and the zombie's task stops.
     */
    @Test
    void aHeartbeatUnderALeaseTakenOverIsRefusedAndCounted() {
        Tenant tenant = SharedContext.newTenant();
        SleepingTaskHandler handler =
                TestHandlers.find(SharedContext.get(), TestHandlers.SLOW, SleepingTaskHandler.class);
        int interruptionsBefore = handler.interruptions();
        double before = series("montage_worker_lease_refusals_total", "write=\"heartbeat\"");
        Job job = TestJobs.submit(tenant, TestHandlers.SLOW, "{}", 1); // sleeps until interrupted
        long task = Await.until(Duration.ofSeconds(5), "the task runs", () -> TaskRows.onlyTaskOf(job.id()),
                row -> row.status().equals("running")).id();
        UUID newHolder = UUID.randomUUID();
        SharedContext.bean(Database.class).asSystem(c -> {
            try (PreparedStatement takeOver = c.prepareStatement("UPDATE tasks SET lease_token = ?, "
                    + "lease_expires_at = now() + interval '3 seconds' WHERE id = ?")) {
                takeOver.setObject(1, newHolder);
                takeOver.setLong(2, task);
                return takeOver.executeUpdate();
            }
        });
        try {
            Await.until(Duration.ofSeconds(5), "the refused heartbeat is counted",
                    () -> series("montage_worker_lease_refusals_total", "write=\"heartbeat\""), n -> n >= before + 1);
            Await.until(Duration.ofSeconds(5), "the zombie task is stopped", handler::interruptions,
                    n -> n == interruptionsBefore + 1);
            assertEquals(newHolder, SharedContext.bean(Database.class).asSystem(c -> {
                try (PreparedStatement select = c.prepareStatement("SELECT lease_token FROM tasks WHERE id = ?")) {
                    select.setLong(1, task);
                    try (ResultSet rs = select.executeQuery()) {
                        rs.next();
                        return rs.getObject(1, UUID.class);
                    }
                }
            }));
        } finally {
            // the made-up holder never finishes: the cancelled job's task is abandoned once that lease expires
            SharedContext.bean(JobIntake.class).cancel(tenant.id(), job.id());
        }
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
