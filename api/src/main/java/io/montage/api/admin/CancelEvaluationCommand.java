package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.evaluation.runs.EvalRun;
import io.montage.evaluation.runs.EvalRuns;
import io.montage.tenants.TenantService;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.UUID;
import java.util.concurrent.Callable;

/** Cancels a tenant's running evaluation run: its models' jobs are cancelled and the run ends {@code cancelled}. */
@Prototype
@Command(name = "cancel-evaluation", mixinStandardHelpOptions = true,
        description = "Cancel a running evaluation run (every model's job).")
public class CancelEvaluationCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tenant", required = true, description = "The tenant's slug")
    String tenantSlug;

    @Option(names = "--run", required = true, description = "The evaluation run's id (admin evaluate printed it)")
    UUID runId;

    @Inject
    TenantService tenants;
    @Inject
    EvalRuns runs;
    @Inject
    CommandAudit audit;

    @Override
    public Integer call() {
        EvalRun run = audit.recorded("evaluation.cancel", "tenant " + tenantSlug, "run " + runId,
                () -> runs.cancel(tenants.requireBySlug(tenantSlug).id(), runId));
        spec.commandLine().getErr().println("evaluation run " + run.id() + " is " + run.status());
        return 0;
    }
}
