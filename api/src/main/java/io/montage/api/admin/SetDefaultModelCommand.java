package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.evaluation.promotion.GateCheck;
import io.montage.evaluation.promotion.Promotions;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Sets the model a tenant's requests use when they name none, through the tenant's promotion gate: refused (exit 2,
 * the gate's code and detail) when the candidate's evaluation is worse than the incumbent's, unless overridden with
 * a reason.
 */
@Prototype
@Command(name = "set-default-model", mixinStandardHelpOptions = true,
        description = "Set a tenant's default model (through its promotion gate, if on).")
public class SetDefaultModelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tenant", required = true, description = "The tenant's slug")
    String tenantSlug;

    @Option(names = "--model", required = true, description = "A ready model: name or name@version")
    String reference;

    @Option(names = "--override-reason", description = "Switch although the promotion gate refuses, for this "
            + "reason (audited)")
    String overrideReason;

    @Inject
    TenantService tenants;
    @Inject
    ModelRegistry registry;
    @Inject
    Promotions promotions;
    @Inject
    CommandAudit audit;

    /** What the command did: the model now the default, and the gate's decision (empty when the gate is off). */
    private record Promoted(Model model, Optional<GateCheck> gate) {
    }

    @Override
    public Integer call() {
        String target = "tenant " + tenantSlug;
        Promoted done = audit.recorded("tenant.set-default-model", target, "model " + reference, () -> {
            Tenant tenant = tenants.requireBySlug(tenantSlug);
            Model model = registry.resolve(reference);
            return new Promoted(model, promotions.promoteDefault(CommandAudit.ACTOR, target, tenant.id(), model,
                    overrideReason));
        });
        done.gate().ifPresent(check -> spec.commandLine().getErr().println("promotion gate: " + check.evidence()));
        spec.commandLine().getErr().println("tenant " + tenantSlug + " now defaults to " + done.model().reference());
        return 0;
    }
}
