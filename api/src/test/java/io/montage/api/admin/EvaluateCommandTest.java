package io.montage.api.admin;

import io.montage.api.ApiServer;
import io.montage.api.evaluations.ShapesDataset;
import io.montage.apikeys.Scope;
import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.evaluation.runs.EvalRun;
import io.montage.evaluation.runs.EvalRuns;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.testing.FakeBundle;
import io.montage.tenants.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * admin evaluate: starts a run of the tenant (its id on stdout) with the given templates, audited; an unknown
 * dataset is refused and the refusal audited. No worker runs here, so a short --wait ends with exit 3.
 */
class EvaluateCommandTest {

    private final AdminRun admin = new AdminRun();

    @TempDir
    Path dir;

    @Test
    void aRunStartsInTheTenantWithItsTemplatesAndIsAudited() throws Exception {
        Tenant tenant = ApiServer.newCaller(EnumSet.of(Scope.JOBS_READ)).tenant();
        Model model = ApiServer.readyModel("evaluate-cli");
        ShapesDataset.importInto(tenant.id(), dir);
        assertEquals(3, admin.execute("evaluate", "--tenant", tenant.slug(), "--dataset", ShapesDataset.NAME, "--model",
                model.reference(), "--task", "zero-shot", "--templates", "a {}|a drawing of a {}", "--wait", "1"),
                admin.err());
        assertTrue(admin.err().contains(model.reference() + ": running"), admin.err());
        EvalRun run = ApiServer.bean(EvalRuns.class).find(tenant.id(), UUID.fromString(admin.out().strip()))
                .orElseThrow();
        assertEquals(List.of("a {}", "a drawing of a {}"), run.templates());
        assertEquals("zero_shot_classification", run.task());
        AuditEntry entry = ApiServer.bean(AuditLog.class).search(new AuditFilter(CommandAudit.ACTOR,
                "evaluation.start", AuditEntry.OK, "tenant " + tenant.slug())).getFirst();
        assertEquals("dataset shapes, task zero_shot_classification, models " + model.reference(), entry.detail());
    }

    @Test
    void aFusedClassifierIsEvaluatedOnADatasetOfItsLabelsAndNeverOnRetrieval() throws Exception {
        Tenant tenant = ApiServer.newCaller(EnumSet.of(Scope.JOBS_READ)).tenant();
        ModelRegistry registry = ApiServer.bean(ModelRegistry.class);
        Model catsAndDogs = FakeBundle.registerReadyFused(registry, "evaluate-cli-fused");
        Model shapes = FakeBundle.registerReadyFused(registry, "evaluate-cli-shapes", "square", "circle");
        ShapesDataset.importInto(tenant.id(), dir);
        assertEquals(2, admin.execute("evaluate", "--tenant", tenant.slug(), "--dataset", ShapesDataset.NAME, "--model",
                catsAndDogs.reference(), "--task", "zero-shot"));
        assertTrue(admin.err().contains("label_mismatch"), admin.err());
        assertEquals(2, admin.execute("evaluate", "--tenant", tenant.slug(), "--dataset", ShapesDataset.NAME, "--model",
                shapes.reference(), "--task", "retrieval"));
        assertTrue(admin.err().contains("model_kind_mismatch"), admin.err());
        assertEquals(0, admin.execute("evaluate", "--tenant", tenant.slug(), "--dataset", ShapesDataset.NAME, "--model",
                shapes.reference(), "--task", "zero-shot"), "its labels in another order: " + admin.err());
    }

    @Test
    void anUnknownDatasetIsRefusedAndTheRefusalAudited() throws Exception {
        Tenant tenant = ApiServer.newCaller(EnumSet.of(Scope.JOBS_READ)).tenant();
        Model model = ApiServer.readyModel("evaluate-cli-refused");
        assertEquals(2, admin.execute("evaluate", "--tenant", tenant.slug(), "--dataset", "nope", "--model",
                model.reference(), "--task", "retrieval"));
        assertTrue(admin.err().contains("dataset_not_found"), admin.err());
        AuditEntry entry = ApiServer.bean(AuditLog.class).search(new AuditFilter(CommandAudit.ACTOR,
                "evaluation.start", null, "tenant " + tenant.slug())).getFirst();
        assertEquals(AuditEntry.FAILED, entry.outcome());
    }
}
