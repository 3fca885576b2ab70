package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** Creates a tenant; prints its id. */
@Prototype
@Command(name = "create-tenant", mixinStandardHelpOptions = true, description = "Create a tenant and print its id.")
public class CreateTenantCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--slug", required = true, description = "URL-safe name: a-z, 0-9, '-'")
    String slug;

    @Option(names = "--name", description = "Display name (defaults to the slug)")
    String name;

    @Inject
    TenantService tenants;
    @Inject
    CommandAudit audit;

    @Override
    public Integer call() {
        String label = name == null ? slug : name;
        Tenant tenant = audit.recorded("tenant.create", "tenant " + slug, "name " + label,
                () -> tenants.create(slug, label));
        spec.commandLine().getOut().println(tenant.id());
        return 0;
    }
}
