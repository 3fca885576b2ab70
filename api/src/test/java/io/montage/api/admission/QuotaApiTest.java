package io.montage.api.admission;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;
import io.montage.api.TestModels;
import io.montage.apikeys.Scope;
import io.montage.models.Model;
import io.montage.quotas.QuotaOverrides;
import io.montage.quotas.Quotas;
import io.montage.workers.WorkerRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-tenant quotas: items per day (sync and bulk), bulk jobs in flight, collection items. */
class QuotaApiTest {

    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    private void quotas(QuotaOverrides overrides) {
        ApiServer.bean(Quotas.class).set(caller.tenant().id(), overrides);
    }

    private ApiServer.Response echoJob(int items) {
        return send("POST", "/v1/jobs", caller.key(), "{\"type\":\"echo\",\"items\":"
                + IntStream.range(0, items).mapToObj(i -> "{\"input\":" + i + "}").collect(Collectors.joining(",", "[", "]"))
                + "}");
    }

    private int uploadEchoLines(int lines) {
        String jsonl = IntStream.range(0, lines).mapToObj(i -> "{\"input\":" + i + "}\n").collect(Collectors.joining());
        HttpRequest request = HttpRequest.newBuilder(URI.create(ApiServer.get().getURL() + "/v1/jobs?type=echo"))
                .header("Authorization", "Bearer " + caller.key()).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(jsonl)).build();
        return ApiServer.exchange(request).statusCode();
    }

    private int jobs() {
        return send("GET", "/v1/jobs", caller.key(), null).json().get("data").size();
    }

    private long itemsToday() {
        return ApiServer.bean(Quotas.class).usage(caller.tenant().id()).itemsToday();
    }

    @Test
    void bulkItemsPerDayAreCountedAndRefusedOverTheQuotaWithRetryAfter() {
        quotas(new QuotaOverrides(5L, null, null, null, null));
        assertEquals(201, echoJob(3).status());
        ApiServer.Response refused = echoJob(3);
        String detail = assertProblem(refused, 429, "quota_exceeded").get("detail").getStringValue();
        assertTrue(detail.contains("items_per_day quota: the limit is 5 items per UTC day, 3 are used and this "
                + "request adds 3"), detail);
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 86_400, "until midnight UTC: " + retryAfter);
        assertEquals(201, uploadEchoLines(2), "exactly up to the quota");
        assertEquals(429, uploadEchoLines(1));
        assertEquals(5, itemsToday());
        assertEquals(2, jobs());
    }

    @Test
    void anUploadIsRefusedAsItsItemsPassTheQuotaAndLeavesNothingBehind() {
        quotas(new QuotaOverrides(10L, null, null, null, null));
        assertEquals(429, uploadEchoLines(11));
        assertEquals(0, jobs());
        assertEquals(0, itemsToday());
        assertEquals(201, uploadEchoLines(10));
    }

    @Test
    void synchronousItemsCountTowardsTheSameDailyQuota() {
        Model model = TestModels.ready("quota");
        UUID worker = UUID.randomUUID(); // says it serves the model, never takes work: the request must not wait
        WorkerRegistry workers = ApiServer.bean(WorkerRegistry.class);
        workers.register(worker, "quota-test", 1, List.of("embed", "model:" + model.id()));
        try {
            quotas(new QuotaOverrides(3L, null, null, null, null));
            assertEquals(201, echoJob(2).status());
            ApiServer.Response refused = send("POST", "/v1/embeddings", caller.key(),
                    "{\"model\":\"" + model.reference() + "\",\"input\":[\"a\",\"b\"]}");
            String detail = assertProblem(refused, 429, "quota_exceeded").get("detail").getStringValue();
            assertTrue(detail.contains("items_per_day quota: the limit is 3 items per UTC day, 2 are used and this "
                    + "request adds 2"), detail);
            assertTrue(refused.header("Retry-After") != null, "a daily quota frees up at midnight UTC");
            assertEquals(2, itemsToday(), "the refused request was not counted");
            assertEquals(1, jobs(), "nor queued");
        } finally {
            workers.stopped(worker);
        }
    }

    @Test
    void bulkJobsInFlightAreLimitedUntilOneFinishes() {
        quotas(new QuotaOverrides(null, 2, null, null, null));
        String first = echoJob(1).json().get("id").getStringValue(); // no worker here: they stay queued
        assertEquals(201, echoJob(1).status());
        ApiServer.Response refused = echoJob(1);
        String detail = assertProblem(refused, 429, "quota_exceeded").get("detail").getStringValue();
        assertTrue(detail.contains("inflight_jobs quota: the limit is 2 bulk jobs queued or running, 2 are used"), detail);
        assertNull(refused.header("Retry-After"), "no time to name: it frees when a job ends");
        assertEquals(200, send("POST", "/v1/jobs/" + first + "/cancel", caller.key(), null).status());
        assertEquals(201, echoJob(1).status());
    }

    @Test
    void collectionItemsCountNewItemsOnlyAcrossCollections() {
        quotas(new QuotaOverrides(null, null, 3L, null, null));
        String model = TestModels.ready("quota").reference();
        for (String name : List.of("a", "b")) {
            assertEquals(201, send("POST", "/v1/collections", caller.key(),
                    "{\"name\":\"" + name + "\",\"model\":\"" + model + "\"}").status());
        }
        assertEquals(200, upsert("a", "x", "y").status());
        String detail = assertProblem(upsert("b", "p", "q"), 429, "quota_exceeded").get("detail").getStringValue();
        assertTrue(detail.contains("collection_items quota: the limit is 3 items across all collections, 2 are used "
                + "and this request adds 2"), detail);
        assertEquals(200, upsert("a", "x", "y").status(), "replacing items adds none");
        assertEquals(200, upsert("b", "p").status());
        assertProblem(upsert("a", "z"), 429, "quota_exceeded");
        JsonNode a = send("GET", "/v1/collections/a", caller.key(), null).json();
        assertEquals(2, a.get("item_count").getIntValue());
    }

    private ApiServer.Response upsert(String collection, String... ids) {
        String items = java.util.Arrays.stream(ids).map(id -> "{\"id\":\"" + id + "\",\"vector\":[1,0,0,0,0,0,0,0]}")
                .collect(Collectors.joining(",", "[", "]"));
        return send("POST", "/v1/collections/" + collection + "/items", caller.key(), "{\"items\":" + items + "}");
    }
}
