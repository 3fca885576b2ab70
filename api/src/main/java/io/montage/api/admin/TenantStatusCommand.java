package io.montage.api.admin;

import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import jakarta.inject.Inject;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * Suspends or resumes a tenant, as the console's buttons do (the same audit rows). The key check reads the status on
 * every request, and a change notifies the api's key cache (migration V16), so it applies from the next request on.
 */
abstract class TenantStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tenant", required = true, paramLabel = "ID|SLUG", description = "The tenant's id or slug")
    String tenantReference;

    @Inject
    TenantService tenants;
    @Inject
    CommandAudit audit;

    /** {@link Tenant#SUSPENDED} or {@link Tenant#ACTIVE}. */
    abstract String status();

    /** What it means for the tenant's keys, said after the change. */
    abstract String consequence();

    @Override
    public Integer call() {
        Tenant tenant = TenantReference.resolve(tenants, tenantReference);
        String action = Tenant.SUSPENDED.equals(status()) ? "tenant.suspend" : "tenant.resume";
        audit.recorded(action, "tenant " + tenant.slug(), null, () -> tenants.setStatus(tenant.id(), status()));
        spec.commandLine().getErr().println("tenant " + tenant.slug() + " is " + status() + ": " + consequence());
        return 0;
    }
}
