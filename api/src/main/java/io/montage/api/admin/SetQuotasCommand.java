package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.quotas.QuotaOverrides;
import io.montage.quotas.QuotaUsage;
import io.montage.quotas.Quotas;
import io.montage.quotas.TenantQuotas;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * Sets a tenant's quotas and rate limit (the options given; the others stay), or with {@code --reset} returns it to
 * the defaults first; prints the quotas in force and the usage. Without options it only prints them.
 */
@Prototype
@Command(name = "set-quotas", mixinStandardHelpOptions = true,
        description = "Set a tenant's quotas and rate limit; print them with its usage.")
public class SetQuotasCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tenant", required = true, description = "The tenant's slug")
    String tenantSlug;

    @Option(names = "--reset", description = "Drop the tenant's own quotas first: the defaults apply again")
    boolean reset;

    @Option(names = "--items-per-day", description = "Items (sync and bulk) per UTC day")
    Long itemsPerDay;

    @Option(names = "--inflight-jobs", description = "Bulk jobs queued or running at once")
    Integer inflightJobs;

    @Option(names = "--collection-items", description = "Items across all of the tenant's collections")
    Long collectionItems;

    @Option(names = "--requests-per-minute", description = "Each API key's sustained request rate")
    Integer requestsPerMinute;

    @Option(names = "--burst", description = "Requests an API key may send at once")
    Integer burst;

    @Inject
    TenantService tenants;
    @Inject
    Quotas quotas;
    @Inject
    CommandAudit audit;

    @Override
    public Integer call() {
        Tenant tenant = tenants.requireBySlug(tenantSlug);
        QuotaOverrides given = new QuotaOverrides(itemsPerDay, inflightJobs, collectionItems, requestsPerMinute, burst);
        if (reset || !given.equals(QuotaOverrides.NONE)) {
            QuotaOverrides before = quotas.own(tenant.id());
            QuotaOverrides after = (reset ? QuotaOverrides.NONE : before).with(given);
            audit.recorded("tenant.set-quotas", "tenant " + tenant.slug(), after.changesFrom(before),
                    () -> quotas.set(tenant.id(), after));
        }
        TenantQuotas now = quotas.of(tenant.id());
        QuotaUsage usage = quotas.usage(tenant.id());
        var out = spec.commandLine().getOut();
        out.println("tenant " + tenant.slug());
        out.println("items_per_day       " + now.itemsPerDay() + " (used today: " + usage.itemsToday() + ")");
        out.println("inflight_jobs       " + now.inflightJobs() + " (now: " + usage.inflightJobs() + ")");
        out.println("collection_items    " + now.collectionItems() + " (stored: " + usage.collectionItems() + ")");
        out.println("requests_per_minute " + now.requestsPerMinute() + " per API key");
        out.println("burst               " + now.burst() + " per API key");
        return 0;
    }
}
