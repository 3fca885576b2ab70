package io.montage.apikeys;

import io.montage.db.Database;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Set;

class ScratchKeyCheckTiming {

    @Test
    void time() {
        ApiKeyService keys = SharedContext.bean(ApiKeyService.class);
        Database db = SharedContext.bean(Database.class);
        Tenant t = SharedContext.newTenant();
        String secret = keys.create(t.id(), "t", Set.of(Scope.JOBS_READ), null).secret();
        ApiKeyFormat.ParsedKey parsed = ApiKeyFormat.parse(secret).parsed().orElseThrow();
        for (int round = 0; round < 3; round++) {
            long a = System.nanoTime();
            for (int i = 0; i < 2000; i++) {
                keys.check(secret);
            }
            long b = System.nanoTime();
            for (int i = 0; i < 2000; i++) {
                db.asSystem(c -> {
                    try (PreparedStatement s = c.prepareStatement("SELECT k.secret_hash, k.id, k.tenant_id, k.name, k.scopes, k.created_at, k.expires_at, "
                            + "k.last_used_at, k.revoked_at, t.slug, t.status AS tenant_status "
                            + "FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.lookup_prefix = ?")) {
                        s.setString(1, parsed.lookupPrefix());
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                if (MessageDigest.isEqual(rs.getBytes(1), parsed.hash())) {
                                    rs.getArray("scopes").getArray();
                                }
                            }
                        }
                    }
                    try (PreparedStatement touch = c.prepareStatement("UPDATE api_keys SET last_used_at = now() WHERE id = ? AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')")) {
                        touch.setObject(1, java.util.UUID.randomUUID());
                        touch.executeUpdate();
                    }
                    return null;
                });
            }
            long c = System.nanoTime();
            System.out.printf("TIMING repositories %.1f us/check, hand-written %.1f us/check%n", (b - a) / 2000e3, (c - b) / 2000e3);
        }
    }
}
