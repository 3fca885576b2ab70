package io.montage.api.admission;

import io.montage.api.ApiServer;
import io.montage.apikeys.ApiKeyService;
import io.montage.apikeys.Scope;
import io.montage.quotas.QuotaOverrides;
import io.montage.quotas.Quotas;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each API key has a token bucket with its tenant's limit; every counted answer says where the bucket stands. */
class RateLimitApiTest {

    @Test
    void successfulAnswersCarryTheRateLimitFields() {
        ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class)); // the defaults: 100 at once, 600/min
        ApiServer.Response response = send("GET", "/v1/jobs", caller.key(), null);
        assertEquals(200, response.status());
        assertEquals("\"per-key\";q=100;w=10", response.header("RateLimit-Policy"));
        assertEquals("\"per-key\";r=99;t=1", response.header("RateLimit"));
        assertNull(response.header("Retry-After"));
        ApiServer.Response missing = send("GET", "/v1/jobs/" + java.util.UUID.randomUUID(), caller.key(), null);
        assertEquals(404, missing.status());
        assertEquals("\"per-key\";r=98;t=1", missing.header("RateLimit"), "errors count and say so too");
    }

    @Test
    void afterItsBurstAKeyIsRefusedWithRetryAfterWhileAnotherKeyIsNot() {
        ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));
        ApiServer.bean(Quotas.class).set(caller.tenant().id(), new QuotaOverrides(null, null, null, 1, 3));
        for (int remaining = 2; remaining >= 0; remaining--) {
            ApiServer.Response passed = send("GET", "/v1/jobs", caller.key(), null);
            assertEquals(200, passed.status(), passed.body());
            assertEquals("\"per-key\";q=3;w=180", passed.header("RateLimit-Policy"));
            assertTrue(passed.header("RateLimit").startsWith("\"per-key\";r=" + remaining + ";t="),
                    passed.header("RateLimit"));
        }
        ApiServer.Response refused = send("GET", "/v1/jobs", caller.key(), null);
        String detail = assertProblem(refused, 429, "rate_limited").get("detail").getStringValue();
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 60, "one token a minute: " + retryAfter);
        assertEquals("\"per-key\";r=0;t=" + retryAfter, refused.header("RateLimit"));
        assertTrue(detail.contains("3 requests in a burst or 1 a minute"), detail);

        String otherKey = ApiServer.bean(ApiKeyService.class)
                .create(caller.tenant().id(), "second", Set.of(Scope.JOBS_READ), null).secret();
        assertEquals(200, send("GET", "/v1/jobs", otherKey, null).status(), "buckets are per key");
    }

    @Test
    void refusedKeysAreNotCounted() {
        ApiServer.Response response = send("GET", "/v1/jobs", null, null);
        assertEquals(401, response.status());
        assertNull(response.header("RateLimit"));
    }
}
