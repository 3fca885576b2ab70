package io.montage.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * One change an operator made or tried: who, what action, on which target, when, and how it ended
 * ({@link #OK}, {@link #FAILED} with the reason in {@code detail}, or {@link #DENIED} for a role that may not).
 */
@MappedEntity("audit_log")
public record AuditEntry(@Id @GeneratedValue @Nullable Long id, @DateCreated @Nullable Instant at, String actor,
                         String action, String target, String outcome, @Nullable String detail) {

    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String DENIED = "denied";
}
