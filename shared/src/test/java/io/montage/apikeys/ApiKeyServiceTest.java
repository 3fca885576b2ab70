package io.montage.apikeys;

import io.montage.db.Database;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyServiceTest {

    private static ApiKeyService keys;
    private static Tenant tenant;

    @BeforeAll
    static void setUp() {
        keys = SharedContext.bean(ApiKeyService.class);
        tenant = SharedContext.newTenant();
    }

    @Test
    void aNewKeyAuthenticatesAsItsTenantWithItsScopes() {
        CreatedApiKey created = keys.create(tenant.id(), "ci", EnumSet.of(Scope.JOBS_READ, Scope.INFERENCE), null);
        KeyCheck.Accepted accepted = assertInstanceOf(KeyCheck.Accepted.class, keys.check(created.secret()));
        assertEquals(tenant.id(), accepted.apiKey().tenantId());
        assertEquals(tenant.slug(), accepted.tenantSlug());
        assertEquals(EnumSet.of(Scope.JOBS_READ, Scope.INFERENCE), accepted.apiKey().scopes());
        assertNotNull(keys.list(tenant.id()).stream().filter(k -> k.id().equals(created.apiKey().id()))
                .findFirst().orElseThrow().lastUsedAt(), "last use is recorded");
    }

    @Test
    void theSecretIsNeverStored() {
        CreatedApiKey created = keys.create(tenant.id(), "ci", Set.of(Scope.JOBS_READ), null);
        long rowsContainingSecret = SharedContext.bean(Database.class).asSystem(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT count(*) FROM api_keys WHERE strpos(api_keys::text, ?) > 0")) {
                s.setString(1, created.secret().substring(9));
                var rs = s.executeQuery();
                rs.next();
                return rs.getLong(1);
            }
        });
        assertEquals(0, rowsContainingSecret);
    }

    @Test
    void revocationTakesEffectOnTheNextCheck() {
        CreatedApiKey created = keys.create(tenant.id(), "ci", Set.of(Scope.JOBS_READ), null);
        assertInstanceOf(KeyCheck.Accepted.class, keys.check(created.secret()));
        keys.revoke(tenant.id(), created.apiKey().id());
        assertEquals(new KeyCheck.Rejected(KeyRejection.REVOKED), keys.check(created.secret()));
    }

    @Test
    void anExpiredKeyIsRejected() {
        CreatedApiKey created = keys.create(tenant.id(), "ci", Set.of(Scope.JOBS_READ),
                Instant.now().plus(1, ChronoUnit.HOURS));
        assertInstanceOf(KeyCheck.Accepted.class, keys.check(created.secret()));
        SharedContext.bean(Database.class).asSystem(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = ?")) {
                s.setObject(1, created.apiKey().id());
                return s.executeUpdate();
            }
        });
        assertEquals(new KeyCheck.Rejected(KeyRejection.EXPIRED), keys.check(created.secret()));
    }

    @Test
    void aWellFormedKeyThatWasNeverIssuedIsUnknown() {
        assertEquals(new KeyCheck.Rejected(KeyRejection.UNKNOWN), keys.check(ApiKeyFormat.generate()));
    }

    @Test
    void typosAndGarbageAreRejectedBeforeTheDatabase() {
        String secret = keys.create(tenant.id(), "ci", Set.of(Scope.JOBS_READ), null).secret();
        String typo = secret.substring(0, 20) + (secret.charAt(20) == 'x' ? 'y' : 'x') + secret.substring(21);
        assertEquals(new KeyCheck.Rejected(KeyRejection.BAD_CHECKSUM), keys.check(typo));
        assertEquals(new KeyCheck.Rejected(KeyRejection.MALFORMED), keys.check("sk-abc"));
    }

    @Test
    void aSuspendedTenantsKeysStopWorkingAndWorkAgainWhenItIsResumed() {
        Tenant other = SharedContext.newTenant();
        String secret = keys.create(other.id(), "ci", Set.of(Scope.JOBS_READ), null).secret();
        TenantService tenants = SharedContext.bean(TenantService.class);
        assertEquals(Tenant.SUSPENDED, tenants.setStatus(other.id(), Tenant.SUSPENDED).status());
        assertEquals(new KeyCheck.Rejected(KeyRejection.TENANT_SUSPENDED), keys.check(secret));
        tenants.setStatus(other.id(), Tenant.ACTIVE);
        assertInstanceOf(KeyCheck.Accepted.class, keys.check(secret));
    }

    @Test
    void keysOfOneTenantAreInvisibleToAnother() {
        Tenant other = SharedContext.newTenant();
        keys.create(other.id(), "other", Set.of(Scope.JOBS_READ), null);
        assertTrue(keys.list(tenant.id()).stream().noneMatch(k -> k.tenantId().equals(other.id())));
    }
}
