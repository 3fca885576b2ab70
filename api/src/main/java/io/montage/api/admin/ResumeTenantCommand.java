package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.tenants.Tenant;
import picocli.CommandLine.Command;

/** Resumes a suspended tenant: its keys that are neither revoked nor expired work again. */
@Prototype
@Command(name = "resume-tenant", mixinStandardHelpOptions = true,
        description = "Resume a suspended tenant: its keys work again (those neither revoked nor expired).")
public class ResumeTenantCommand extends TenantStatusCommand {

    @Override
    String status() {
        return Tenant.ACTIVE;
    }

    @Override
    String consequence() {
        return "its keys work again from their next request on (those neither revoked nor expired)";
    }
}
