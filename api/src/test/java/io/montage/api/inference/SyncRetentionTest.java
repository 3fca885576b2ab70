package io.montage.api.inference;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import io.montage.db.Database;
import io.montage.jobs.JobRetention;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.testing.FakeBundle;
import io.montage.workers.WorkerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A synchronous request's job (whose inputs may be base64 images) is kept for montage.inference-api.retention
 * (1 h), not for ever, and the cleaner deletes it once that is over. The requests here answer 504 (a worker that
 * advertises the model but takes no work), which leaves the job to inspect.
 */
class SyncRetentionTest {

    private static final ApiServer.Caller CALLER = ApiServer.newCaller(EnumSet.allOf(Scope.class));
    private static final UUID STUCK = UUID.randomUUID();
    private static Model model;

    @BeforeAll
    static void aModelOnlyAStuckWorkerServes() throws Exception {
        model = FakeBundle.registerReady(ApiServer.bean(ModelRegistry.class), "retained");
        ApiServer.bean(WorkerRegistry.class).register(STUCK, "stuck-host", 1,
                List.of("embed", "ingest", "model:" + model.id()));
    }

    @AfterAll
    static void stopTheStuckWorker() {
        ApiServer.bean(WorkerRegistry.class).stopped(STUCK);
    }

    private static String jobOf(ApiServer.Response timedOut) {
        JsonNode problem = assertProblem(timedOut, 504, "inference_timeout");
        Matcher job = Pattern.compile("job ([0-9a-f-]{36})").matcher(problem.get("detail").getStringValue());
        assertTrue(job.find(), problem.toString());
        return job.group(1);
    }

    private static void assertKeptForAnHour(String jobId, Instant submitted) {
        Instant expires = Instant.parse(send("GET", "/v1/jobs/" + jobId, CALLER.key(), null).json()
                .get("expires_at").getStringValue());
        Instant expected = submitted.plus(ApiServer.bean(InferenceLimits.class).retention());
        assertEquals(Duration.ofHours(1), ApiServer.bean(InferenceLimits.class).retention(), "the default");
        assertTrue(!expires.isBefore(expected.minusSeconds(5)) && expires.isBefore(expected.plusSeconds(60)),
                "expires_at " + expires + ", expected about " + expected);
    }

    @Test
    void anEmbeddingRequestsJobExpiresAfterAnHourAndIsThenDeleted() throws Exception {
        Instant submitted = Instant.now();
        String jobId = jobOf(send("POST", "/v1/embeddings", CALLER.key(),
                "{\"model\":\"" + model.reference() + "\",\"input\":\"hello\"}"));
        assertKeptForAnHour(jobId, submitted);

        assertEquals(200, send("POST", "/v1/jobs/" + jobId + "/cancel", CALLER.key(), null).status());
        JobRetention cleaner = ApiServer.bean(JobRetention.class);
        cleaner.deleteExpired(1000);
        assertEquals(200, send("GET", "/v1/jobs/" + jobId, CALLER.key(), null).status(), "not due yet: kept");

        expireNow(UUID.fromString(jobId)); // the hour has passed
        cleaner.deleteExpired(1000);
        assertProblem(send("GET", "/v1/jobs/" + jobId, CALLER.key(), null), 404, "job_not_found");
    }

    @Test
    void aSynchronousCollectionWritesJobExpiresAfterAnHour() {
        String name = "retained-" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals(201, send("POST", "/v1/collections", CALLER.key(),
                "{\"name\":\"" + name + "\",\"model\":\"" + model.reference() + "\"}").status());
        Instant submitted = Instant.now();
        String jobId = jobOf(send("POST", "/v1/collections/" + name + "/items", CALLER.key(),
                "{\"items\":[{\"id\":\"a\",\"text\":\"a red boot\"}]}"));
        assertKeptForAnHour(jobId, submitted);
    }

    private static void expireNow(UUID jobId) {
        ApiServer.bean(Database.class).asSystem(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE jobs SET expires_at = now() - interval '1 second' WHERE id = ?")) {
                update.setObject(1, jobId);
                return update.executeUpdate();
            }
        });
    }
}
