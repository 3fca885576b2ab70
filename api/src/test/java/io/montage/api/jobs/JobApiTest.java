package io.montage.api.jobs;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskLeases;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobApiTest {

    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    private static String echoJob(int items) {
        StringBuilder body = new StringBuilder("{\"type\":\"echo\",\"items\":[");
        for (int i = 0; i < items; i++) {
            body.append(i == 0 ? "" : ",").append("{\"custom_id\":\"item-").append(i)
                    .append("\",\"input\":{\"n\":").append(i).append("}}");
        }
        return body.append("]}").toString();
    }

    private JsonNode create(int items) {
        ApiServer.Response response = send("POST", "/v1/jobs", caller.key(), echoJob(items));
        assertEquals(201, response.status(), response.body());
        return response.json();
    }

    @Test
    void aSubmittedJobIsQueuedWithItsCounts() {
        JsonNode job = create(3);
        assertEquals("job", job.get("object").getStringValue());
        assertEquals("queued", job.get("status").getStringValue());
        assertEquals(3, job.get("counts").get("total").getIntValue());
        assertEquals(3, job.get("counts").get("pending").getIntValue());
        JsonNode fetched = send("GET", "/v1/jobs/" + job.get("id").getStringValue(), caller.key(), null).json();
        assertEquals(job.get("id").getStringValue(), fetched.get("id").getStringValue());
    }

    @Test
    void resultsAppearPerItemAsTasksFinish() {
        JsonNode job = create(2);
        UUID jobId = UUID.fromString(job.get("id").getStringValue());
        TaskLeases leases = ApiServer.bean(TaskLeases.class);
        ClaimedTask task = leases.claim(UUID.randomUUID(), List.of("echo"), 100).stream()
                .filter(t -> t.jobId().equals(jobId)).findFirst().orElseThrow();
        List<ItemOutcome> outcomes = new ArrayList<>();
        leases.items(task).forEach(i -> outcomes.add(i.seq() == 0
                ? ItemOutcome.succeeded(i.seq(), "{\"echo\":" + i.inputJson() + "}")
                : ItemOutcome.failed(i.seq(), "echo_failed", "told to fail")));
        leases.complete(task, outcomes);

        JsonNode done = send("GET", "/v1/jobs/" + jobId, caller.key(), null).json();
        assertEquals("succeeded", done.get("status").getStringValue());
        assertEquals(1, done.get("counts").get("succeeded").getIntValue());
        assertEquals(1, done.get("counts").get("failed").getIntValue());
        JsonNode items = send("GET", "/v1/jobs/" + jobId + "/items", caller.key(), null).json().get("data");
        assertEquals("item-0", items.get(0).get("custom_id").getStringValue());
        assertEquals(0, items.get(0).get("result").get("echo").get("n").getIntValue());
        assertEquals("echo_failed", items.get(1).get("error").get("code").getStringValue());
        JsonNode failedOnly = send("GET", "/v1/jobs/" + jobId + "/items?status=failed", caller.key(), null).json();
        assertEquals(1, failedOnly.get("data").size());
    }

    @Test
    void retryRunsAgainOnlyTheItemsThatFailedForThePlatformsReasons() {
        JsonNode job = create(3);
        String id = job.get("id").getStringValue();
        assertProblem(send("POST", "/v1/jobs/" + id + "/retry", caller.key(), null), 409, "job_not_finished");
        complete(UUID.fromString(id), seq -> switch (seq) {
            case 0 -> ItemOutcome.succeeded(seq, "{\"echo\":0}");
            case 1 -> ItemOutcome.failed(seq, "echo_failed", "told to fail"); // its input's fault
            default -> ItemOutcome.failed(seq, "internal_error", "the worker failed"); // ours
        });

        ApiServer.Response retried = send("POST", "/v1/jobs/" + id + "/retry", caller.key(), null);

        assertEquals(202, retried.status(), retried.body());
        assertEquals("queued", retried.json().get("status").getStringValue());
        assertEquals(1, retried.json().get("counts").get("pending").getIntValue());
        assertEquals(1, retried.json().get("counts").get("failed").getIntValue());
        List<Integer> rerun = complete(UUID.fromString(id), seq -> ItemOutcome.succeeded(seq, "{\"echo\":2}"));
        assertEquals(List.of(2), rerun, "only the item that failed for the platform's reason runs again");
        JsonNode done = send("GET", "/v1/jobs/" + id, caller.key(), null).json();
        assertEquals("succeeded", done.get("status").getStringValue());
        assertEquals(2, done.get("counts").get("succeeded").getIntValue());
        assertEquals(1, done.get("counts").get("failed").getIntValue());
        assertProblem(send("POST", "/v1/jobs/" + id + "/retry", caller.key(), null), 409, "nothing_to_retry");
    }

    @Test
    void aCancelledJobOrAnotherTenantsIsNotRetried() {
        String id = create(1).get("id").getStringValue();
        assertProblem(send("POST", "/v1/jobs/" + id + "/retry",
                ApiServer.newCaller(EnumSet.allOf(Scope.class)).key(), null), 404, "job_not_found");
        send("POST", "/v1/jobs/" + id + "/cancel", caller.key(), null);
        assertProblem(send("POST", "/v1/jobs/" + id + "/retry", caller.key(), null), 409, "job_cancelled");
    }

    /** Claims the job's task as a worker would and completes it with {@code outcome} per item: the seqs it ran. */
    private static List<Integer> complete(UUID jobId, java.util.function.IntFunction<ItemOutcome> outcome) {
        TaskLeases leases = ApiServer.bean(TaskLeases.class);
        ClaimedTask task = leases.claim(UUID.randomUUID(), List.of("echo"), 100).stream()
                .filter(t -> t.jobId().equals(jobId)).findFirst().orElseThrow();
        List<Integer> seqs = leases.items(task).stream().map(i -> i.seq()).toList();
        leases.complete(task, seqs.stream().map(outcome::apply).toList());
        return seqs;
    }

    @Test
    void anotherTenantCannotSeeOrCancelTheJob() {
        String id = create(1).get("id").getStringValue();
        ApiServer.Caller other = ApiServer.newCaller(EnumSet.allOf(Scope.class));
        assertProblem(send("GET", "/v1/jobs/" + id, other.key(), null), 404, "job_not_found");
        assertProblem(send("POST", "/v1/jobs/" + id + "/cancel", other.key(), null), 404, "job_not_found");
        assertProblem(send("GET", "/v1/jobs/" + id + "/items", other.key(), null), 404, "job_not_found");
        assertTrue(send("GET", "/v1/jobs", other.key(), null).json().get("data").size() == 0);
    }

    @Test
    void listingPagesNewestFirst() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.addFirst(create(1).get("id").getStringValue());
        }
        JsonNode first = send("GET", "/v1/jobs?limit=3", caller.key(), null).json();
        assertTrue(first.get("has_more").getBooleanValue());
        JsonNode second = send("GET", "/v1/jobs?limit=3&after=" + first.get("next_after").getStringValue(),
                caller.key(), null).json();
        assertFalse(second.get("has_more").getBooleanValue());
        List<String> seen = new ArrayList<>();
        for (JsonNode page : List.of(first, second)) {
            page.get("data").values().forEach(j -> seen.add(j.get("id").getStringValue()));
        }
        assertEquals(ids, seen);
    }

    @Test
    void cancelStopsAJobOnceAndSaysSoTheSecondTime() {
        String id = create(2).get("id").getStringValue();
        JsonNode cancelled = send("POST", "/v1/jobs/" + id + "/cancel", caller.key(), null).json();
        assertEquals("cancelled", cancelled.get("status").getStringValue());
        assertEquals(2, cancelled.get("counts").get("cancelled").getIntValue());
        assertProblem(send("POST", "/v1/jobs/" + id + "/cancel", caller.key(), null), 409, "job_not_cancellable");
    }

    @Test
    void badSubmissionsAreRefusedWithWhatToFix() {
        assertProblem(send("POST", "/v1/jobs", caller.key(), "{\"type\":\"nope\",\"items\":[{\"input\":1}]}"),
                422, "unknown_job_type");
        assertProblem(send("POST", "/v1/jobs", caller.key(), "{\"type\":\"echo\",\"items\":[]}"), 422, "empty_job");
        assertProblem(send("POST", "/v1/jobs", caller.key(), "{\"type\":\"echo\",\"items\":[{\"custom_id\":\"a\"}]}"),
                422, "missing_item_input");
        assertProblem(send("POST", "/v1/jobs", caller.key(), "{\"type\":\"echo\",\"items\":["), 400, "invalid_json");
        assertProblem(send("GET", "/v1/jobs?status=bogus", caller.key(), null), 422, "invalid_job_status");
        assertProblem(send("GET", "/v1/jobs?limit=0", caller.key(), null), 422, "invalid_limit");
        assertProblem(send("GET", "/v1/jobs/not-a-uuid", caller.key(), null), 400, "invalid_parameter");
    }

    @Test
    void tooManyInlineItemsIsTooLarge() {
        ApiServer.Response response = send("POST", "/v1/jobs", caller.key(), echoJob(10_001));
        assertProblem(response, 413, "too_many_items");
    }

    @Test
    void unknownRoutesAndMethodsAreProblemsToo() {
        assertProblem(send("GET", "/v1/nothing-here", caller.key(), null), 404, "not_found");
        assertProblem(send("DELETE", "/v1/jobs", caller.key(), null), 405, "method_not_allowed");
    }

    @Test
    void anOversizedBodyIsRefused() {
        String huge = "{\"type\":\"echo\",\"items\":[{\"input\":\"" + "x".repeat(33 * 1024 * 1024) + "\"}]}";
        assertProblem(send("POST", "/v1/jobs", caller.key(), huge), 413, "request_too_large");
    }
}
