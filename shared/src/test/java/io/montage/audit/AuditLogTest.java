package io.montage.audit;

import io.montage.db.DataAccessException;
import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditLogTest {

    private final AuditLog log = SharedContext.bean(AuditLog.class);
    private final Database database = SharedContext.bean(Database.class);

    @Test
    void anEntryIsFoundByItsActorActionOutcomeAndText() {
        String actor = "op-" + UUID.randomUUID().toString().substring(0, 8);
        AuditEntry ok = log.record(actor, "tenant.create", "tenant acme", AuditEntry.OK, null);
        AuditEntry failed = log.record(actor, "tenant.create", "tenant acme", AuditEntry.FAILED, "tenant_exists: taken");
        assertNotNull(ok.id());
        assertNotNull(ok.at());
        assertEquals(List.of(failed.id(), ok.id()), ids(new AuditFilter(actor, null, null, null)), "newest first");
        assertEquals(List.of(failed.id()), ids(new AuditFilter(actor, "tenant.create", AuditEntry.FAILED, null)));
        assertEquals(List.of(failed.id()), ids(new AuditFilter(actor, null, null, "TENANT_EXISTS")), "detail text");
        assertEquals(List.of(failed.id(), ok.id()), ids(new AuditFilter(actor, null, null, "acme")), "target text");
        assertEquals(List.of(), ids(new AuditFilter(actor, "key.revoke", null, null)));
    }

    @Test
    void aRecordedChangeLogsItsOutcomeAndAFailureIsStillThrown() {
        String actor = "op-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals("done", log.recorded(actor, "tenant.create", "tenant a", "name A", () -> "done"));
        MontageException refused = MontageException.conflict("tenant_exists", "a tenant with slug 'a' exists");
        assertSame(refused, assertThrows(MontageException.class,
                () -> log.recorded(actor, "tenant.create", "tenant a", "name A", () -> { throw refused; })));
        assertThrows(IllegalStateException.class, () -> log.recorded(actor, "tenant.create", "tenant a", null, () -> {
            throw new IllegalStateException("connection to 10.0.0.5 refused");
        }));
        List<AuditEntry> entries = log.search(new AuditFilter(actor, null, null, null));
        assertEquals(List.of(AuditEntry.FAILED, AuditEntry.FAILED, AuditEntry.OK),
                entries.stream().map(AuditEntry::outcome).toList());
        assertEquals("internal error", entries.get(0).detail(), "no internals in the audit trail");
        assertEquals("tenant_exists: a tenant with slug 'a' exists", entries.get(1).detail());
        assertEquals("name A", entries.get(2).detail());
    }

    /** The application can be the login role or the system role: neither may rewrite the log. */
    @ParameterizedTest
    @ValueSource(strings = {"UPDATE audit_log SET outcome = 'ok'", "DELETE FROM audit_log", "TRUNCATE audit_log"})
    void noRoleOfTheApplicationCanRewriteTheLog(String statement) {
        log.record("op", "tenant.suspend", "tenant acme", AuditEntry.DENIED, null);
        for (boolean system : new boolean[]{true, false}) {
            DataAccessException e = assertThrows(DataAccessException.class, () -> run(system, statement));
            assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
        }
    }

    private void run(boolean system, String statement) {
        if (system) {
            database.asSystem(c -> execute(c, statement));
        } else {
            database.inTenant(UUID.randomUUID(), c -> execute(c, statement));
        }
    }

    private static Object execute(java.sql.Connection c, String statement) throws java.sql.SQLException {
        try (Statement s = c.createStatement()) {
            return s.execute(statement);
        }
    }

    private List<Long> ids(AuditFilter filter) {
        return log.search(filter).stream().map(AuditEntry::id).toList();
    }
}
