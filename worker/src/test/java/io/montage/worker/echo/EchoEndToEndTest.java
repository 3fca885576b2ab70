package io.montage.worker.echo;

import io.montage.jobs.contracts.EchoJob;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.montage.jobs.Job;
import io.montage.jobs.JobItem;
import io.montage.jobs.JobStatus;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import io.montage.worker.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** An echo job through the real queue and the worker the test context runs, as a tenant would see it. */
class EchoEndToEndTest {

    private static final int ITEMS = 250;

    @Test
    void anEchoJobSucceedsWithEachItemEchoedOrFailedOnItsOwn() throws IOException {
        Tenant tenant = SharedContext.newTenant();
        List<NewItem> items = IntStream.range(0, ITEMS).mapToObj(i -> new NewItem("item-" + i, input(i))).toList();

        Job job = TestJobs.submit(tenant, new NewJob(EchoJob.NAME, Priority.BULK, "{}", items));
        Job done = TestJobs.awaitEnd(tenant, job, Duration.ofSeconds(20));

        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(247, done.succeededItems());
        assertEquals(3, done.failedItems());
        assertEquals(0, done.pendingItems());
        Map<String, JobItem> outcomes = TestJobs.outcomes(tenant, done).stream()
                .collect(Collectors.toMap(JobItem::customId, Function.identity()));
        assertEquals(ITEMS, outcomes.size());
        JsonMapper json = SharedContext.bean(JsonMapper.class);
        for (int i = 0; i < ITEMS; i++) {
            JobItem outcome = outcomes.get("item-" + i);
            if (asksToFail(i)) {
                assertEquals("failed", outcome.status(), outcome.customId());
                assertEquals("echo_failed", outcome.errorCode());
                assertEquals("item " + i + " is bad", outcome.errorMessage());
                assertNull(outcome.resultJson());
            } else {
                assertEquals("succeeded", outcome.status(), outcome.customId());
                assertEquals(json.readValue("{\"echo\": " + input(i) + "}", JsonNode.class),
                        json.readValue(outcome.resultJson(), JsonNode.class), outcome.customId());
            }
        }
    }

    private static boolean asksToFail(int i) {
        return i % 100 == 42; // items 42, 142 and 242
    }

    /** Item i's input: mostly objects, some other JSON values, and "fail" fields that must not fail the item. */
    private static String input(int i) {
        if (asksToFail(i)) {
            return "{\"fail\": \"item " + i + " is bad\"}";
        }
        return switch (i % 100) {
            case 7 -> "null";
            case 8 -> "\"just text\"";
            case 9 -> "[1, {\"fail\": \"nested, so not a failure\"}]";
            case 10 -> "{\"fail\": 3}";
            default -> "{\"n\": " + i + ", \"tags\": [\"a\", {\"b\": null}]}";
        };
    }
}
