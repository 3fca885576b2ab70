package io.montage.audit;

import io.micronaut.core.annotation.Nullable;

/** Which audit rows to show: exact actor, action and outcome, and text found in the target or the detail. */
public record AuditFilter(@Nullable String actor, @Nullable String action, @Nullable String outcome,
                          @Nullable String text) {

    public static final AuditFilter ALL = new AuditFilter(null, null, null, null);
}
