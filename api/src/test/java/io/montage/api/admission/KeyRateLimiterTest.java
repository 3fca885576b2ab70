package io.montage.api.admission;

import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import io.montage.quotas.QuotaDefaults;
import io.montage.quotas.QuotaOverrides;
import io.montage.quotas.Quotas;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An operator's change of a tenant's rate limit (console or admin command) reaches a node within limits-for. */
class KeyRateLimiterTest {

    @Test
    void aChangedLimitIsUsedOnceTheNodesCopyIsOlderThanLimitsFor() throws InterruptedException {
        Quotas quotas = ApiServer.bean(Quotas.class);
        QuotaDefaults defaults = ApiServer.bean(QuotaDefaults.class);
        UUID tenantId = ApiServer.newCaller(EnumSet.of(Scope.JOBS_READ)).tenant().id();
        Duration limitsFor = Duration.ofSeconds(2);
        KeyRateLimiter limiter = new KeyRateLimiter(new RateLimitConfig(true, 100, limitsFor), quotas);
        UUID key = UUID.randomUUID();
        KeyRateLimiter.Limit before = new KeyRateLimiter.Limit(defaults.requestsPerMinute(), defaults.burst());

        assertEquals(before, limiter.acquire(key, tenantId).limit());
        quotas.set(tenantId, new QuotaOverrides(null, null, null, 60, 2));
        assertEquals(before, limiter.acquire(key, tenantId).limit(), "the node's copy is still fresh");

        Thread.sleep(limitsFor.plusMillis(100).toMillis());
        KeyRateLimiter.Decision after = limiter.acquire(key, tenantId);
        assertEquals(new KeyRateLimiter.Limit(60, 2), after.limit());
        assertEquals(1, after.remaining(), "the key starts over with a bucket of the new size");
    }
}
