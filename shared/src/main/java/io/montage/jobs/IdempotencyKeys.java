package io.montage.jobs;

import jakarta.inject.Singleton;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * Idempotent submission: a job remembers its Idempotency-Key and a hash of the request that created it. The same
 * key with the same request gets the same job back; with a different request it is a conflict. Works inside the
 * caller's tenant transaction, so keys are per tenant.
 */
@Singleton
public class IdempotencyKeys {

    /** The job a key already created, and the hash of the request that created it. */
    public record Previous(UUID jobId, byte[] requestHash) {

        public boolean sameRequest(byte[] hash) {
            return requestHash != null && MessageDigest.isEqual(requestHash, hash);
        }
    }

    public Optional<Previous> find(Connection c, String key) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, request_hash FROM jobs WHERE idempotency_key = ? AND tenant_id = montage_current_tenant()")) {
            select.setString(1, key);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new Previous(rs.getObject(1, UUID.class), rs.getBytes(2))) : Optional.empty();
            }
        }
    }

    /** Stores the hash once the whole request has been read (it is streamed, so only known at the end). */
    public void remember(Connection c, UUID jobId, byte[] requestHash) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE jobs SET request_hash = ? WHERE id = ?")) {
            update.setBytes(1, requestHash);
            update.setObject(2, jobId);
            update.executeUpdate();
        }
    }
}
