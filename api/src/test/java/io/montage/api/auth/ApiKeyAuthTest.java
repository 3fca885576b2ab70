package io.montage.api.auth;

import io.montage.api.ApiServer;
import io.montage.apikeys.ApiKeyFormat;
import io.montage.apikeys.ApiKeyService;
import io.montage.apikeys.Scope;
import io.montage.db.Database;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.util.EnumSet;
import java.util.Set;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each way a key can be wrong has its own status and code. */
class ApiKeyAuthTest {

    @Test
    void aValidKeyIsAccepted() {
        ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));
        assertEquals(200, send("GET", "/v1/jobs", caller.key(), null).status());
    }

    @Test
    void noKeyIsMissing() {
        ApiServer.Response response = send("GET", "/v1/jobs", null, null);
        assertProblem(response, 401, "missing_api_key");
    }

    @Test
    void anotherAuthorizationSchemeIsMalformed() {
        assertProblem(send("GET", "/v1/jobs", "Basic dXNlcjpwYXNz", null), 401, "malformed_api_key");
    }

    @Test
    void aBearerTokenThatIsNoMontageKeyIsMalformed() {
        assertProblem(send("GET", "/v1/jobs", "sk-proj-1234567890", null), 401, "malformed_api_key");
    }

    @Test
    void aMistypedKeyFailsItsChecksum() {
        String key = ApiServer.newCaller(Set.of(Scope.JOBS_READ)).key();
        String typo = key.substring(0, 15) + (key.charAt(15) == 'Q' ? 'R' : 'Q') + key.substring(16);
        assertProblem(send("GET", "/v1/jobs", typo, null), 401, "invalid_api_key_checksum");
    }

    @Test
    void aWellFormedKeyNobodyIssuedIsUnknown() {
        assertProblem(send("GET", "/v1/jobs", ApiKeyFormat.generate(), null), 401, "unknown_api_key");
    }

    @Test
    void aRevokedKeyStopsWorkingAsSoonAsTheRevocationIsNotified() throws InterruptedException {
        ApiServer.Caller caller = ApiServer.newCaller(Set.of(Scope.JOBS_READ));
        assertEquals(200, send("GET", "/v1/jobs", caller.key(), null).status()); // accepted, so cached
        ApiKeyService keys = ApiServer.bean(ApiKeyService.class);
        keys.list(caller.tenant().id()).forEach(k -> keys.revoke(caller.tenant().id(), k.id()));
        // the notification reaches the api's LISTEN connection moments after the commit (the cache lasts 30 s)
        long deadline = System.nanoTime() + 2_000_000_000L;
        ApiServer.Response response = send("GET", "/v1/jobs", caller.key(), null);
        while (response.status() == 200 && System.nanoTime() < deadline) {
            Thread.sleep(5);
            response = send("GET", "/v1/jobs", caller.key(), null);
        }
        assertProblem(response, 401, "revoked_api_key");
    }

    @Test
    void anExpiredKeyIsRefused() {
        ApiServer.Caller caller = ApiServer.newCaller(Set.of(Scope.JOBS_READ));
        ApiServer.bean(Database.class).asSystem(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE tenant_id = ?")) {
                s.setObject(1, caller.tenant().id());
                return s.executeUpdate();
            }
        });
        assertProblem(send("GET", "/v1/jobs", caller.key(), null), 401, "expired_api_key");
    }

    @Test
    void aKeyWithoutTheScopeIsForbiddenAndToldWhichScopeItNeeds() {
        ApiServer.Caller reader = ApiServer.newCaller(Set.of(Scope.JOBS_READ));
        ApiServer.Response response = send("POST", "/v1/jobs", reader.key(),
                "{\"type\":\"echo\",\"items\":[{\"input\":{}}]}");
        var problem = assertProblem(response, 403, "insufficient_scope");
        assertTrue(problem.get("detail").getStringValue().contains("jobs:write"), response.body());
    }
}
