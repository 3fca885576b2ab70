package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Sets the model a tenant's requests use when they name none. */
@Prototype
@Command(name = "set-default-model", mixinStandardHelpOptions = true,
        description = "Set a tenant's default model.")
public class SetDefaultModelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tenant", required = true, description = "The tenant's slug")
    String tenantSlug;

    @Option(names = "--model", required = true, description = "A ready model: name or name@version")
    String reference;

    private final TenantService tenants;
    private final ModelRegistry registry;
    private final CommandAudit audit;

    public SetDefaultModelCommand(TenantService tenants, ModelRegistry registry, CommandAudit audit) {
        this.tenants = tenants;
        this.registry = registry;
        this.audit = audit;
    }

    @Override
    public Integer call() {
        Model model = audit.recorded("tenant.set-default-model", "tenant " + tenantSlug, "model " + reference, () -> {
            Tenant tenant = tenants.requireBySlug(tenantSlug);
            Model resolved = registry.resolve(reference);
            registry.setTenantDefault(tenant.id(), resolved.id());
            return resolved;
        });
        spec.commandLine().getErr().println("tenant " + tenantSlug + " now defaults to " + model.reference());
        return 0;
    }
}
