package io.montage.api.admin;

import io.montage.api.ApiServer;
import io.montage.apikeys.ApiKeyService;
import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.models.ModelRegistry;
import io.montage.tenants.TenantService;
import io.montage.testing.FakeBundle;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every change an admin command makes is in the audit log, by cli:<user>, with how it ended. */
class AdminCommandAuditTest {

    private static final String UNSET = "MONTAGE_TEST_UNSET_" + UUID.randomUUID().toString().replace("-", "");

    private final String slug = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    private final AuditLog audit = ApiServer.bean(AuditLog.class);

    private static int admin(String... args) {
        CommandLine admin = AdminCommand.commandLine(ApiServer.get().getApplicationContext());
        admin.setOut(new PrintWriter(new StringWriter(), true));
        admin.setErr(new PrintWriter(new StringWriter(), true));
        return admin.execute(args);
    }

    /** The rows of {@code action} whose target or detail mentions {@code text}, newest first. */
    private List<AuditEntry> logged(String action, String text) {
        return audit.search(new AuditFilter(CommandAudit.ACTOR, action, null, text));
    }

    private void assertLogged(String action, String text, String outcome, String detail) {
        AuditEntry entry = logged(action, text).getFirst();
        assertEquals(outcome, entry.outcome(), entry.toString());
        assertEquals(detail, entry.detail(), entry.toString());
    }

    @Test
    void theActorIsTheOperatingSystemsUser() {
        assertEquals("cli:" + System.getProperty("user.name"), CommandAudit.ACTOR);
    }

    @Test
    void tenantKeyAndQuotaChangesAreLoggedWithTheirOutcome() {
        assertEquals(0, admin("create-tenant", "--slug", slug, "--name", "Audit Co"));
        assertLogged("tenant.create", slug, AuditEntry.OK, "name Audit Co");
        assertEquals("tenant " + slug, logged("tenant.create", slug).getFirst().target());
        assertEquals(2, admin("create-tenant", "--slug", slug));
        AuditEntry refused = logged("tenant.create", slug).getFirst();
        assertEquals(AuditEntry.FAILED, refused.outcome());
        assertTrue(refused.detail().startsWith("tenant_exists: "), refused.detail());

        assertEquals(0, admin("create-key", "--tenant", slug, "--name", "ci", "--scope", "jobs:read"));
        assertLogged("key.create", slug, AuditEntry.OK, "name ci, scopes jobs:read");
        UUID tenantId = ApiServer.bean(TenantService.class).requireBySlug(slug).id();
        UUID keyId = ApiServer.bean(ApiKeyService.class).list(tenantId).getFirst().id();
        assertEquals(0, admin("revoke-key", "--tenant", slug, "--key-id", keyId.toString()));
        assertLogged("key.revoke", keyId.toString(), AuditEntry.OK, null);
        UUID unknown = UUID.randomUUID();
        assertEquals(2, admin("revoke-key", "--tenant", slug, "--key-id", unknown.toString()));
        assertEquals(AuditEntry.FAILED, logged("key.revoke", unknown.toString()).getFirst().outcome());

        assertEquals(0, admin("set-quotas", "--tenant", slug, "--burst", "9", "--items-per-day", "5000"));
        assertLogged("tenant.set-quotas", slug, AuditEntry.OK, "items_per_day default → 5,000, burst default → 9");
        assertEquals(0, admin("set-quotas", "--tenant", slug), "only prints");
        assertEquals(1, logged("tenant.set-quotas", slug).size(), "printing changes nothing and logs nothing");
        assertEquals(2, admin("set-quotas", "--tenant", slug, "--burst", "0"));
        assertLogged("tenant.set-quotas", slug, AuditEntry.FAILED,
                "invalid_quota: burst must be at least 1, got 0");
        assertEquals(0, admin("set-quotas", "--tenant", slug, "--reset"));
        assertLogged("tenant.set-quotas", slug, AuditEntry.OK, "items_per_day 5,000 → default, burst 9 → default");
    }

    @Test
    void modelAndAdminUserChangesAreLoggedWithTheirOutcome() throws IOException {
        assertEquals(0, admin("create-tenant", "--slug", slug));
        String name = "cli-model-" + UUID.randomUUID().toString().substring(0, 6);
        String bundle = FakeBundle.write(Files.createTempDirectory("bundle"), name, "1", "w").toString();
        assertEquals(0, admin("register-model", "--source", bundle));
        assertLogged("model.register", bundle, AuditEntry.OK, null);
        ModelRegistry registry = ApiServer.bean(ModelRegistry.class);
        registry.markReady(registry.find(name, "1").orElseThrow().id());
        assertEquals(0, admin("set-default-model", "--tenant", slug, "--model", name + "@1"));
        assertLogged("tenant.set-default-model", slug, AuditEntry.OK, "model " + name + "@1");
        assertEquals(2, admin("set-default-model", "--tenant", slug, "--model", name + "@2"));
        assertTrue(logged("tenant.set-default-model", slug).getFirst().detail().startsWith("model_not_found: "));

        String user = "cli-op-" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals(0, admin("create-admin-user", "--username", user, "--role", "viewer", "--password-env", UNSET));
        assertLogged("admin-user.create", user, AuditEntry.OK, "role viewer");
        assertEquals(0, admin("create-admin-user", "--username", user, "--if-missing", "--password-env", UNSET));
        assertEquals(1, logged("admin-user.create", user).size(), "an existing user is left alone, and nothing logged");
        assertEquals(0, admin("set-admin-password", "--username", user, "--password-env", UNSET));
        assertLogged("admin-user.set-password", user, AuditEntry.OK, null);
        String nobody = "nobody-" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals(2, admin("set-admin-password", "--username", nobody, "--password-env", UNSET));
        assertTrue(logged("admin-user.set-password", nobody).getFirst().detail().startsWith("admin_user_not_found: "));
    }
}
