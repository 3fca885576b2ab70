package io.montage.api.admin;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;
import io.montage.api.evaluations.ShapesDataset;
import io.montage.apikeys.Scope;
import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.evaluation.GatePolicy;
import io.montage.evaluation.promotion.Promotions;
import io.montage.evaluation.promotion.TenantGate;
import io.montage.evaluation.promotion.TenantGates;
import io.montage.evaluation.runs.EvalRun;
import io.montage.evaluation.runs.EvalRuns;
import io.montage.jobs.JobStatus;
import io.montage.jobs.Jobs;
import io.montage.jobs.contracts.EvaluateJob;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.testing.FakeBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promotion gate at the api's edges and the run cancel, with no worker here: no run of the candidate has results
 * on the gate dataset, so the gate refuses with {@code no_candidate_evaluation} (what a tenant that never evaluated
 * its new version gets). {@code admin set-default-model} refuses (exit 2, the code) unless overridden with a reason;
 * a collection's switch is refused with problem JSON only when the tenant opted collections in;
 * {@code admin cancel-evaluation} cancels a run's jobs and the api shows it cancelled. The measured case (a worse
 * model refused, a better one allowed) is the worker's PromotionGateRunTest.
 */
class PromotionGateCommandTest {

    private final AdminRun admin = new AdminRun();
    private final ModelRegistry registry = ApiServer.bean(ModelRegistry.class);
    private final TenantGates gates = ApiServer.bean(TenantGates.class);

    @TempDir
    Path dir;

    @Test
    void setDefaultModelIsRefusedByTheGateUnlessOverriddenWithAReason() throws Exception {
        ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));
        Model incumbent = ApiServer.readyModel("gate-incumbent");
        Model candidate = ApiServer.readyModel("gate-candidate");
        registry.setTenantDefault(caller.tenant().id(), incumbent.id());
        ShapesDataset.importInto(caller.tenant().id(), dir);
        gates.set(caller.tenant().id(), new TenantGate(true, ShapesDataset.NAME, false, GatePolicy.DEFAULT, false));
        String slug = caller.tenant().slug();

        assertEquals(2, admin.execute("set-default-model", "--tenant", slug, "--model", candidate.reference()));
        assertTrue(admin.err().contains("no_candidate_evaluation: evaluate " + candidate.reference()
                + " on the gate dataset shapes v1 first"), admin.err());
        assertEquals(incumbent.id(), registry.tenantDefault(caller.tenant().id()).orElseThrow().id());

        assertEquals(0, admin.execute("set-default-model", "--tenant", slug, "--model", candidate.reference(),
                "--override-reason", "rolling out the new tokenizer"), admin.err());
        assertTrue(admin.err().contains("promotion gate: no_candidate_evaluation"), admin.err());
        assertEquals(candidate.id(), registry.tenantDefault(caller.tenant().id()).orElseThrow().id());
        assertEquals(0, admin.execute("set-default-model", "--tenant", slug, "--model", candidate.reference()),
                "already the default: no switch, nothing to gate");
        AuditLog audit = ApiServer.bean(AuditLog.class);
        AuditEntry override = audit.search(new AuditFilter(CommandAudit.ACTOR, Promotions.OVERRIDE, null, slug))
                .getFirst();
        assertEquals("overrode no_candidate_evaluation: rolling out the new tokenizer", override.detail());
        List<AuditEntry> decisions = audit.search(new AuditFilter(CommandAudit.ACTOR, Promotions.DECISION,
                AuditEntry.FAILED, slug));
        assertEquals(2, decisions.size(), "each refusal, the overridden one too");
        assertEquals(AuditEntry.FAILED, audit.search(new AuditFilter(CommandAudit.ACTOR, "tenant.set-default-model",
                null, slug)).getLast().outcome(), "the refused switch");
    }

    @Test
    void aFusedModelIsNeverADefaultNotEvenOverridden() throws Exception {
        ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));
        Model incumbent = ApiServer.readyModel("clip-default");
        Model fused = FakeBundle.registerReadyFused(registry, "fused-default");
        registry.setTenantDefault(caller.tenant().id(), incumbent.id());
        String slug = caller.tenant().slug();
        for (String[] args : List.of(new String[]{}, new String[]{"--override-reason", "try it"})) {
            List<String> command = new java.util.ArrayList<>(List.of("set-default-model", "--tenant", slug,
                    "--model", fused.reference()));
            command.addAll(List.of(args));
            assertEquals(2, admin.execute(command.toArray(String[]::new)), admin.err());
            assertTrue(admin.err().contains("model_kind_mismatch: " + fused.reference() + " is a fused model"),
                    admin.err());
        }
        assertEquals(incumbent.id(), registry.tenantDefault(caller.tenant().id()).orElseThrow().id(),
                "the clip default stays");
    }

    @Test
    void aCollectionsSwitchIsGatedOnlyWhenTheTenantOptedIn() throws Exception {
        ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));
        Model current = ApiServer.readyModel("gate-collection");
        Model next = ApiServer.readyModel("gate-collection-next");
        ShapesDataset.importInto(caller.tenant().id(), dir);
        gates.set(caller.tenant().id(), new TenantGate(true, ShapesDataset.NAME, false, GatePolicy.DEFAULT, true));
        for (String name : List.of("gated", "not-gated")) {
            assertEquals(201, send("POST", "/v1/collections", caller.key(), "{\"name\":\"" + name + "\",\"model\":\""
                    + current.reference() + "\"}").status());
        }

        JsonNode problem = assertProblem(send("POST", "/v1/collections/gated/model", caller.key(),
                "{\"model\":\"" + next.reference() + "\"}"), 409, "no_candidate_evaluation");
        assertEquals("evaluate " + next.reference() + " on the gate dataset shapes v1 first",
                problem.get("detail").getStringValue());
        assertEquals(current.reference(), send("GET", "/v1/collections/gated", caller.key(), null).json()
                .get("model").getStringValue(), "refused: still on its model");
        AuditEntry decision = ApiServer.bean(AuditLog.class).search(new AuditFilter(null, Promotions.DECISION, null,
                "collection gated of tenant " + caller.tenant().slug())).getFirst();
        assertTrue(decision.actor().startsWith("key:"), decision.actor());

        gates.set(caller.tenant().id(), new TenantGate(true, ShapesDataset.NAME, false, GatePolicy.DEFAULT, false));
        assertEquals(202, send("POST", "/v1/collections/not-gated/model", caller.key(),
                "{\"model\":\"" + next.reference() + "\"}").status(), "not opted in: the switch starts");
    }

    @Test
    void cancelEvaluationCancelsTheRunsJobsAndTheApiShowsItCancelled() throws Exception {
        ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));
        Model model = ApiServer.readyModel("cancel-cli");
        ShapesDataset.importInto(caller.tenant().id(), dir);
        EvalRun run = ApiServer.bean(EvalRuns.class).start(caller.tenant().id(), ShapesDataset.NAME, null,
                EvaluateJob.ZERO_SHOT, List.of(model), null);
        String slug = caller.tenant().slug();

        assertEquals(0, admin.execute("cancel-evaluation", "--tenant", slug, "--run", run.id().toString()),
                admin.err());
        assertTrue(admin.err().contains("is cancelled"), admin.err());
        JsonNode view = send("GET", "/v1/evaluations/" + run.id(), caller.key(), null).json();
        assertEquals("cancelled", view.get("status").getStringValue());
        assertEquals(JobStatus.CANCELLED, ApiServer.bean(Jobs.class).find(caller.tenant().id(),
                run.models().getFirst().jobId()).orElseThrow().status());
        assertEquals(2, admin.execute("cancel-evaluation", "--tenant", slug, "--run", run.id().toString()));
        assertTrue(admin.err().contains("evaluation_not_cancellable"), admin.err());
        AuditEntry entry = ApiServer.bean(AuditLog.class).search(new AuditFilter(CommandAudit.ACTOR,
                "evaluation.cancel", AuditEntry.OK, slug)).getFirst();
        assertEquals("run " + run.id(), entry.detail());
    }
}
