package io.montage.api.auth;

import io.montage.api.ApiServer;
import io.montage.apikeys.KeyCheck;
import io.montage.apikeys.KeyRejection;
import io.montage.apikeys.Scope;
import io.montage.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.UUID;

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

        try (Connection owner = TestDatabase.ownerConnection()) {
            revokeSilently(owner, caller.tenant().id());
            assertInstanceOf(KeyCheck.Accepted.class, checks.check(caller.key()), "answered from the cache");
            try (Statement notify = owner.createStatement()) {
                notify.execute("NOTIFY montage_api_keys");
            }
        }
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

    /** Revokes the tenant's keys with the notifying trigger off, as no real change can; all or nothing. */
    private static void revokeSilently(Connection owner, UUID tenantId) throws SQLException {
        owner.setAutoCommit(false);
        try (Statement ddl = owner.createStatement();
             PreparedStatement revoke = owner.prepareStatement(
                     "UPDATE api_keys SET revoked_at = now() WHERE tenant_id = ?")) {
            ddl.execute("ALTER TABLE api_keys DISABLE TRIGGER api_keys_changed");
            ddl.execute("SET LOCAL ROLE montage_system"); // row-level security is forced on the owner too
            revoke.setObject(1, tenantId);
            int revoked = revoke.executeUpdate();
            ddl.execute("RESET ROLE");
            ddl.execute("ALTER TABLE api_keys ENABLE TRIGGER api_keys_changed");
            assertEquals(1, revoked);
            owner.commit();
            owner.setAutoCommit(true);
        } catch (SQLException | RuntimeException | AssertionError e) {
            owner.rollback();
            throw e;
        }
    }
}
