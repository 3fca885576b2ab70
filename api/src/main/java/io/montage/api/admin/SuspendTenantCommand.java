package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.tenants.Tenant;
import picocli.CommandLine.Command;

/** Suspends a tenant: its keys are refused (401 tenant_suspended) until it is resumed; its data stays. */
@Prototype
@Command(name = "suspend-tenant", mixinStandardHelpOptions = true,
        description = "Suspend a tenant: every key of it is refused (401 tenant_suspended) until resume-tenant.")
public class SuspendTenantCommand extends TenantStatusCommand {

    @Override
    String status() {
        return Tenant.SUSPENDED;
    }

    @Override
    String consequence() {
        return "its keys are refused (tenant_suspended) from their next request on";
    }
}
