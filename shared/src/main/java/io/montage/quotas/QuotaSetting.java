package io.montage.quotas;

import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The five numbers an operator may set for a tenant ({@code admin set-quotas}, the console), by the names the
 * command and the audit log use, with the least value each may take (the table's CHECK constraints).
 */
public enum QuotaSetting {
    ITEMS_PER_DAY("items_per_day", 0, QuotaOverrides::itemsPerDay, TenantQuotas::itemsPerDay),
    INFLIGHT_JOBS("inflight_jobs", 0, QuotaOverrides::inflightJobs, TenantQuotas::inflightJobs),
    COLLECTION_ITEMS("collection_items", 0, QuotaOverrides::collectionItems, TenantQuotas::collectionItems),
    // a rate of 0 would refuse every request of the tenant: suspend it instead
    REQUESTS_PER_MINUTE("requests_per_minute", 1, QuotaOverrides::requestsPerMinute, TenantQuotas::requestsPerMinute),
    BURST("burst", 1, QuotaOverrides::burst, TenantQuotas::burst);

    private final String wireName;
    private final long minimum;
    private final Function<QuotaOverrides, Number> own;
    private final ToLongFunction<TenantQuotas> inForce;

    QuotaSetting(String wireName, long minimum, Function<QuotaOverrides, Number> own,
                 ToLongFunction<TenantQuotas> inForce) {
        this.wireName = wireName;
        this.minimum = minimum;
        this.own = own;
        this.inForce = inForce;
    }

    public String wireName() {
        return wireName;
    }

    public long minimum() {
        return minimum;
    }

    /** The tenant's own value, or null for the default. */
    public Number of(QuotaOverrides overrides) {
        return own.apply(overrides);
    }

    public long of(TenantQuotas quotas) {
        return inForce.applyAsLong(quotas);
    }
}
