package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.errors.MontageException;
import io.montage.evaluation.runs.EvalRun;
import io.montage.evaluation.runs.EvalRunModel;
import io.montage.evaluation.runs.EvalRuns;
import io.montage.jobs.contracts.EvaluateJob;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.tenants.TenantService;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Starts an evaluation run of one model version or several on a tenant's dataset (or the shared space's) and prints
 * its id on stdout; with {@code --wait} it waits for the run and prints each model's headline metrics on stderr.
 * Exit 0 when started (and, waiting, succeeded), 1 when the run failed, 3 when the wait ran out.
 */
@Prototype
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Start an evaluation run: model version(s) × a dataset version × a task, as jobs on the workers.")
public class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tenant", required = true, description = "The tenant's slug (the run is the tenant's)")
    String tenantSlug;

    @Option(names = "--dataset", required = true, description = "The dataset's name: the tenant's, else the shared one")
    String dataset;

    @Option(names = "--version", description = "The dataset version's number (default: the newest)")
    Integer version;

    @Option(names = "--model", required = true, split = ",", description = "Ready models: name or name@version, "
            + "comma-separated")
    List<String> models;

    @Option(names = "--task", required = true, description = "zero-shot or retrieval")
    String task;

    @Option(names = "--templates", split = "\\|", description = "Zero-shot prompt templates, '|'-separated, {} = the "
            + "label (default: the first model's manifest's)")
    List<String> templates;

    @Option(names = "--wait", paramLabel = "SECONDS", description = "Wait this long for the run to finish")
    Integer waitSeconds;

    @Inject
    TenantService tenants;
    @Inject
    ModelRegistry registry;
    @Inject
    EvalRuns runs;
    @Inject
    CommandAudit audit;

    @Override
    public Integer call() throws InterruptedException {
        String taskName = switch (task) {
            case "zero-shot", EvaluateJob.ZERO_SHOT -> EvaluateJob.ZERO_SHOT;
            case EvaluateJob.RETRIEVAL -> EvaluateJob.RETRIEVAL;
            default -> throw MontageException.invalid("invalid_task", "--task is zero-shot or retrieval");
        };
        UUID tenantId = tenants.requireBySlug(tenantSlug).id();
        List<Model> resolved = models.stream().map(registry::resolve).toList();
        EvalRun run = audit.recorded("evaluation.start", "tenant " + tenantSlug, "dataset " + dataset
                        + (version == null ? "" : "@v" + version) + ", task " + taskName + ", models "
                        + String.join(",", resolved.stream().map(Model::reference).toList()),
                () -> runs.start(tenantId, dataset, version, taskName, resolved, templates));
        spec.commandLine().getOut().println(run.id());
        if (waitSeconds == null) {
            return 0;
        }
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        while ("running".equals(run.status()) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            run = runs.find(tenantId, run.id()).orElseThrow();
        }
        PrintWriter err = spec.commandLine().getErr();
        for (EvalRunModel model : run.models()) {
            err.println(model.modelRef() + ": " + (model.failure() != null ? "failed: " + model.failure()
                    : model.resultsJson() != null ? model.resultsJson() : "running"));
        }
        return switch (run.status()) {
            case "succeeded" -> 0;
            case "failed", "cancelled" -> 1;
            default -> 3;
        };
    }
}
