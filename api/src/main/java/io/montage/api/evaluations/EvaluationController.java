package io.montage.api.evaluations;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.montage.api.auth.TenantPrincipal;
import io.montage.errors.MontageException;
import io.montage.evaluation.runs.EvalRuns;
import io.montage.jobs.Jobs;
import io.montage.json.JsonCodec;
import io.montage.api.openapi.EdgeProblems;
import io.montage.api.openapi.KeyProblems;
import io.montage.api.openapi.NotFoundProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.UUID;

/**
 * The read-only API of evaluation runs, so a tenant's CI can gate on them. Another tenant's run answers exactly what
 * a run that never existed answers. Reading a finished run's models completes them once (metrics from the stored
 * outcomes, ADR 0015); later reads are a few rows.
 */
@Tag(name = "Evaluations")
@EdgeProblems
@KeyProblems
@Controller("/v1/evaluations")
public class EvaluationController {

    private final EvalRuns runs;
    private final Jobs jobs;
    private final JsonCodec json;

    public EvaluationController(EvalRuns runs, Jobs jobs, JsonCodec json) {
        this.runs = runs;
        this.jobs = jobs;
        this.json = json;
    }

    @Operation(operationId = "getEvaluation", summary = "An evaluation run and its results")
    @NotFoundProblem
    @Get("/{id}")
    @Secured("evaluations:read")
    public EvaluationView get(Authentication auth, @PathVariable UUID id) {
        UUID tenantId = TenantPrincipal.of(auth).tenantId();
        return runs.find(tenantId, id).map(run -> EvaluationView.of(run, jobId -> jobs.find(tenantId, jobId), json))
                .orElseThrow(() -> MontageException.notFound("evaluation_not_found", "no evaluation run " + id
                        + " in this tenant"));
    }
}
