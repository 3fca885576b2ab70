package io.montage.quotas;

import io.micronaut.core.annotation.Nullable;
import io.montage.errors.MontageException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A tenant's own quotas and rate limit: a null field is the configured default ({@link QuotaDefaults}), so a
 * changed default reaches it.
 */
public record QuotaOverrides(@Nullable Long itemsPerDay, @Nullable Integer inflightJobs,
                             @Nullable Long collectionItems, @Nullable Integer requestsPerMinute,
                             @Nullable Integer burst) {

    /** Nothing of its own: the defaults throughout. */
    public static final QuotaOverrides NONE = new QuotaOverrides(null, null, null, null, null);

    /** These, with each field {@code changes} sets taken from it instead. */
    public QuotaOverrides with(QuotaOverrides changes) {
        return new QuotaOverrides(either(changes.itemsPerDay, itemsPerDay), either(changes.inflightJobs, inflightJobs),
                either(changes.collectionItems, collectionItems),
                either(changes.requestsPerMinute, requestsPerMinute), either(changes.burst, burst));
    }

    /** What applies: these over the defaults. */
    TenantQuotas over(QuotaDefaults defaults) {
        return new TenantQuotas(either(itemsPerDay, defaults.itemsPerDay()),
                either(inflightJobs, defaults.inflightJobs()), either(collectionItems, defaults.collectionItems()),
                either(requestsPerMinute, defaults.requestsPerMinute()), either(burst, defaults.burst()));
    }

    /** 400 invalid_quota naming the first value below its minimum. */
    void validate() {
        for (QuotaSetting setting : QuotaSetting.values()) {
            Number value = setting.of(this);
            if (value != null && value.longValue() < setting.minimum()) {
                throw MontageException.invalid("invalid_quota",
                        setting.wireName() + " must be at least " + setting.minimum() + ", got " + value);
            }
        }
    }

    /** The settings that differ from {@code before}, as {@code burst 100 → default, …} (the audit log's detail). */
    public String changesFrom(QuotaOverrides before) {
        List<String> changes = new ArrayList<>();
        for (QuotaSetting setting : QuotaSetting.values()) {
            Number was = setting.of(before);
            Number now = setting.of(this);
            if (!Objects.equals(was, now)) {
                changes.add(setting.wireName() + " " + shown(was) + " → " + shown(now));
            }
        }
        return changes.isEmpty() ? "no change" : String.join(", ", changes);
    }

    private static String shown(Number value) {
        return value == null ? "default" : QuotaExceededException.number(value.longValue());
    }

    private static <T> T either(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
