package io.montage.api.auth;

import io.montage.api.ApiServer;
import io.montage.api.SilentSql;
import io.montage.apikeys.KeyCheck;
import io.montage.apikeys.KeyRejection;
import io.montage.apikeys.Scope;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * An accepted key is answered from the node's cache, and dropped from it by the notification a change sends: with
 * the notifying trigger off, a revocation goes unseen (so the cache is what answers); the notification then makes
 * the next check read the database and refuse.
 */
class CachedKeyChecksTest {

    @Test
    void aCachedKeyIsDroppedByTheChangeNotificationAndOnlyByIt() throws Exception {
        ApiServer.Caller caller = ApiServer.newCaller(Set.of(Scope.JOBS_READ));
        CachedKeyChecks checks = ApiServer.bean(CachedKeyChecks.class);
        assertInstanceOf(KeyCheck.Accepted.class, checks.check(caller.key()));

        assertEquals(1, SilentSql.update("api_keys", "api_keys_changed",
                "UPDATE api_keys SET revoked_at = now() WHERE tenant_id = ?", caller.tenant().id()));
        assertInstanceOf(KeyCheck.Accepted.class, checks.check(caller.key()), "answered from the cache");
        SilentSql.notify("montage_api_keys");
        long deadline = System.nanoTime() + 5_000_000_000L;
        KeyCheck now = checks.check(caller.key());
        while (now instanceof KeyCheck.Accepted && System.nanoTime() < deadline) {
            Thread.sleep(10);
            now = checks.check(caller.key());
        }
        assertEquals(new KeyCheck.Rejected(KeyRejection.REVOKED), now);
    }

    @Test
    void refusalsAreNeverCached() {
        ApiServer.Caller caller = ApiServer.newCaller(Set.of(Scope.JOBS_READ));
        CachedKeyChecks checks = ApiServer.bean(CachedKeyChecks.class);
        String typo = caller.key().substring(0, caller.key().length() - 1) + "x";
        assertInstanceOf(KeyCheck.Rejected.class, checks.check(typo));
        assertInstanceOf(KeyCheck.Accepted.class, checks.check(caller.key()));
    }
}
