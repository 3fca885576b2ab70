package io.montage.api.admin;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;
import io.montage.apikeys.ApiKey;
import io.montage.apikeys.ApiKeyService;
import io.montage.apikeys.Scope;
import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.db.Database;
import io.montage.tenants.Tenant;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static io.montage.api.ApiServer.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** list-tenants, suspend-tenant and resume-tenant, list-keys and revoke-key by prefix, on the real database and api. */
class TenantAndKeyCommandsTest {

    private final AdminRun admin = new AdminRun();
    private final ApiKeyService keys = ApiServer.bean(ApiKeyService.class);

    @Test
    void listTenantsShowsEachTenantsStatusAndUsableKeys() throws IOException {
        String slug = "lt-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(0, admin.execute("create-tenant", "--slug", slug, "--name", "Listing Co"));
        UUID id = UUID.fromString(admin.out().strip());
        assertEquals(0, admin.execute("create-key", "--tenant", slug, "--name", "kept"));
        assertEquals(0, admin.execute("create-key", "--tenant", slug, "--name", "revoked"));
        keys.revoke(id, keys.list(id).getLast().id());

        assertEquals(0, admin.execute("list-tenants", "--json"), admin.err());
        JsonNode listed = StreamSupport.stream(json(admin.out()).values().spliterator(), false)
                .filter(t -> t.get("slug").getStringValue().equals(slug)).findFirst().orElseThrow();
        assertEquals(id.toString(), listed.get("id").getStringValue());
        assertEquals("Listing Co", listed.get("name").getStringValue());
        assertEquals("active", listed.get("status").getStringValue());
        assertEquals(1, listed.get("keys").getLongValue(), "the revoked key is not counted");
        Instant created = Instant.parse(listed.get("created_at").getStringValue());
        assertTrue(created.isBefore(Instant.now()), created.toString());

        assertEquals(0, admin.execute("list-tenants"));
        List<String> lines = admin.out().lines().toList();
        assertEquals(List.of("ID", "SLUG", "NAME", "STATUS", "KEYS", "CREATED"), columns(lines.getFirst()));
        assertEquals(List.of(id.toString(), slug, "Listing Co", "active", "1", Table.time(created, "")),
                columns(lines.stream().filter(l -> l.contains(slug)).findFirst().orElseThrow()));
    }

    @Test
    void aSuspendedTenantsKeysAreRefusedUntilItIsResumed() throws Exception {
        ApiServer.Caller caller = ApiServer.newCaller(Set.of(Scope.JOBS_READ));
        String slug = caller.tenant().slug();
        assertEquals(200, send("GET", "/v1/jobs", caller.key(), null).status()); // accepted, so cached

        assertEquals(0, admin.execute("suspend-tenant", "--tenant", slug), admin.err());
        assertTrue(admin.err().contains("tenant " + slug + " is suspended"), admin.err());
        ApiServer.Response refused = awaitAnswer(caller.key(), 401);
        assertEquals("tenant_suspended", refused.json().get("code").getStringValue(), refused.body());
        assertEquals(0, admin.execute("list-tenants", "--json"));
        assertTrue(admin.out().contains("\"slug\":\"" + slug + "\",\"name\":\"" + slug + "\",\"status\":\"suspended\""),
                admin.out());

        assertEquals(0, admin.execute("resume-tenant", "--tenant", caller.tenant().id().toString()), admin.err());
        assertEquals(200, awaitAnswer(caller.key(), 200).status());

        List<AuditEntry> logged = ApiServer.bean(AuditLog.class)
                .search(new AuditFilter(CommandAudit.ACTOR, null, null, "tenant " + slug));
        assertEquals(List.of("tenant.resume", "tenant.suspend"), logged.stream().map(AuditEntry::action).toList());
        logged.forEach(entry -> assertEquals(AuditEntry.OK, entry.outcome(), entry.toString()));

        assertEquals(2, admin.execute("suspend-tenant", "--tenant", "no-such-" + UUID.randomUUID().toString()
                .substring(0, 6)));
        assertTrue(admin.err().startsWith("tenant_not_found: "), admin.err());
        assertEquals(2, admin.execute("resume-tenant", "--tenant", UUID.randomUUID().toString()));
        assertTrue(admin.err().startsWith("tenant_not_found: no tenant with id or slug '"), admin.err());
        String uuidLike = "a-b-c-d-" + UUID.randomUUID().toString().substring(0, 6); // UUID.fromString takes it
        assertEquals(0, admin.execute("create-tenant", "--slug", uuidLike));
        assertEquals(0, admin.execute("suspend-tenant", "--tenant", uuidLike), admin.err());
    }

    @Test
    void listKeysShowsEachKeysPrefixScopesAndTimes() throws IOException {
        ApiServer.Caller caller = ApiServer.newCaller(Set.of(Scope.JOBS_READ, Scope.INFERENCE));
        assertEquals(200, send("GET", "/v1/jobs", caller.key(), null).status());
        ApiKey key = keys.list(caller.tenant().id()).getFirst();

        assertEquals(0, admin.execute("list-keys", "--tenant", caller.tenant().slug(), "--json"), admin.err());
        JsonNode listed = json(admin.out()).get(0);
        assertEquals(1, json(admin.out()).size());
        String prefix = listed.get("prefix").getStringValue();
        assertTrue(caller.key().startsWith(prefix) && prefix.length() == "mtg_live_".length() + 10, prefix);
        assertEquals(key.id().toString(), listed.get("id").getStringValue());
        assertEquals("test", listed.get("name").getStringValue());
        assertEquals(List.of("inference", "jobs:read"), StreamSupport.stream(listed.get("scopes").values()
                .spliterator(), false).map(JsonNode::getStringValue).toList());
        assertNotNull(listed.get("last_used_at").getStringValue(), "it was used");
        assertTrue(listed.get("revoked_at").isNull());
        assertTrue(listed.get("expires_at").isNull());
        assertTrue(!admin.out().contains(caller.key()), "never the key itself");

        assertEquals(0, admin.execute("list-keys", "--tenant", caller.tenant().id().toString()));
        List<String> lines = admin.out().lines().toList();
        assertEquals(List.of("PREFIX", "NAME", "SCOPES", "CREATED", "EXPIRES", "LAST USED", "REVOKED"),
                columns(lines.get(0)));
        assertEquals(List.of(prefix, "test", "inference,jobs:read", Table.time(key.createdAt(), ""), "never",
                Table.time(keys.list(caller.tenant().id()).getFirst().lastUsedAt(), ""), "no"), columns(lines.get(1)));
        assertEquals(2, lines.size());
    }

    @Test
    void revokeKeyTakesTheKeysPrefixOrTheWholeKey() throws Exception {
        ApiServer.Caller caller = ApiServer.newCaller(Set.of(Scope.JOBS_READ));
        String prefix = keys.list(caller.tenant().id()).getFirst().prefix();
        assertEquals(0, admin.execute("revoke-key", prefix.substring(0, prefix.length() - 3)), admin.err());
        assertTrue(admin.err().contains("revoked key " + prefix), admin.err());
        assertEquals("revoked_api_key", awaitAnswer(caller.key(), 401).json().get("code").getStringValue());
        AuditEntry logged = ApiServer.bean(AuditLog.class).search(new AuditFilter(CommandAudit.ACTOR, "key.revoke",
                null, "tenant " + caller.tenant().slug())).getFirst();
        assertEquals(AuditEntry.OK, logged.outcome());
        assertEquals("prefix " + prefix, logged.detail());

        ApiServer.Caller leaked = ApiServer.newCaller(Set.of(Scope.JOBS_READ));
        assertEquals(0, admin.execute("revoke-key", leaked.key()), admin.err());
        assertNotNull(keys.list(leaked.tenant().id()).getFirst().revokedAt(), "the whole key names its key");
    }

    @Test
    void anAmbiguousUnknownOrShortPrefixRevokesNothing() {
        ApiServer.Caller caller = ApiServer.newCaller(Set.of(Scope.JOBS_READ));
        UUID second = keys.create(caller.tenant().id(), "second", Set.of(Scope.JOBS_READ), null).apiKey().id();
        UUID first = keys.list(caller.tenant().id()).getFirst().id();
        // two keys whose prefixes share their first 7 characters (62^7 apart: issuing such a pair would take long)
        String shared = "Zz" + UUID.randomUUID().toString().replace("-", "").substring(0, 5);
        setLookupPrefix(first, shared + "aaa");
        setLookupPrefix(second, shared + "bbb");

        assertEquals(2, admin.execute("revoke-key", "mtg_live_" + shared));
        assertTrue(admin.err().startsWith("ambiguous_key_prefix: mtg_live_" + shared + " starts 2 keys (mtg_live_"
                + shared + "aaa of tenant " + caller.tenant().slug() + ", mtg_live_" + shared + "bbb of tenant "
                + caller.tenant().slug() + "): give more of the key"), admin.err());
        keys.list(caller.tenant().id()).forEach(k -> assertNull(k.revokedAt(), "nothing revoked"));

        assertEquals(2, admin.execute("revoke-key", "mtg_live_" + shared + "c"));
        assertEquals("api_key_not_found: no API key starts with mtg_live_" + shared + "c", admin.err().strip());
        assertEquals(2, admin.execute("revoke-key", "mtg_live_Zz1"));
        assertTrue(admin.err().startsWith("invalid_key_prefix: 'mtg_live_Zz1' is too short"), admin.err());
        assertEquals(2, admin.execute("revoke-key", "mtg_live_" + shared + "aa-"));
        assertTrue(admin.err().startsWith("invalid_key_prefix: a key prefix is mtg_live_ and up to 10"), admin.err());
        assertEquals(2, admin.execute("revoke-key", "mtg_live_" + shared + "aaa", "--tenant", "x", "--key-id",
                first.toString()), "a prefix or a key id, not both");
        keys.list(caller.tenant().id()).forEach(k -> assertNull(k.revokedAt(), "nothing revoked"));

        assertEquals(0, admin.execute("revoke-key", shared + "b"), "without mtg_live_ too");
        assertNotNull(keys.find(caller.tenant().id(), second).orElseThrow().revokedAt());
        assertNull(keys.find(caller.tenant().id(), first).orElseThrow().revokedAt());
    }

    private static void setLookupPrefix(UUID key, String lookupPrefix) {
        ApiServer.bean(Database.class).asSystem(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE api_keys SET lookup_prefix = ? WHERE id = ?")) {
                s.setString(1, lookupPrefix);
                s.setObject(2, key);
                return s.executeUpdate();
            }
        });
    }

    /** The api's answer to the key once it is {@code status}: a change reaches its key cache moments after commit. */
    private static ApiServer.Response awaitAnswer(String key, int status) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        ApiServer.Response response = send("GET", "/v1/jobs", key, null);
        while (response.status() != status && System.nanoTime() < deadline) {
            Thread.sleep(5);
            response = send("GET", "/v1/jobs", key, null);
        }
        assertEquals(status, response.status(), response.body());
        return response;
    }

    private static JsonNode json(String text) throws IOException {
        return ApiServer.bean(JsonMapper.class).readValue(text, JsonNode.class);
    }

    /** A table line's cells: columns are at least two spaces apart, and no value holds two spaces. */
    private static List<String> columns(String line) {
        return List.of(line.strip().split(" {2,}"));
    }
}
