package io.montage.worker.inference;

import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.datasets.DatasetImporter;
import io.montage.datasets.DatasetKind;
import io.montage.datasets.DatasetSpace;
import io.montage.datasets.ReadyMade;
import io.montage.errors.MontageException;
import io.montage.evaluation.GatePolicy;
import io.montage.evaluation.promotion.GateCheck;
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
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Evaluation-gated promotion with measured evidence: both committed bundles of {@code fashion-clip-mini} (the demo,
 * 1.0.0, and 1.1.0-small, the same recipe retrained on a 600-image slice: a second version of the same name) are
 * really evaluated by this JVM's worker on the first 1,000 Fashion-MNIST test images, the tenant's gate dataset.
 * Nobody reads the run: the worker's finisher computes its metrics, and the gate reads them. Then the worse version
 * is refused, overridden with a reason (audited), and the better one allowed back. Also: a whole run cancelled.
 */
class PromotionGateRunTest {

    private static final Duration WAIT = Duration.ofMinutes(10);
    private static final String ACTOR = "test:promotion";

    private final EvalRuns runs = SharedContext.bean(EvalRuns.class);
    private final DatasetImporter importer = SharedContext.bean(DatasetImporter.class);
    private final TenantGates gates = SharedContext.bean(TenantGates.class);
    private final Promotions promotions = SharedContext.bean(Promotions.class);
    private final ModelRegistry registry = SharedContext.bean(ModelRegistry.class);
    private final AuditLog audit = SharedContext.bean(AuditLog.class);
    private final Jobs jobs = SharedContext.bean(Jobs.class);

    @Test
    void theSmallSliceVersionIsRefusedAgainstTheDemoAndTheDemoIsAllowedBack() throws Exception {
        Tenant tenant = SharedContext.newTenant();
        String target = "tenant " + tenant.slug();
        Model demo = DemoBundle.served();
        Model small = DemoBundle.served(DemoBundle.SMALL_DIR);
        assertEquals(demo.name(), small.name(), "the worse model is a second version of the demo model's name");
        importer.importInto(DatasetSpace.of(tenant.id()), "gate-slice", DatasetKind.CLASSIFICATION,
                new FirstEntries(ReadyMade.FASHION_MNIST_TEST.source(ReadyMade.DEFAULT_ROOT), 1000));
        gates.set(tenant.id(), new TenantGate(true, "gate-slice", false, GatePolicy.DEFAULT, true));

        GateCheck first = promotions.promoteDefault(ACTOR, target, tenant.id(), demo, null).orElseThrow();
        assertEquals("no_incumbent", first.decision().code(), first.evidence());
        assertEquals(demo.id(), registry.tenantDefault(tenant.id()).orElseThrow().id());
        MontageException unmeasured = assertThrows(MontageException.class,
                () -> promotions.promoteDefault(ACTOR, target, tenant.id(), small, null));
        assertEquals("no_candidate_evaluation", unmeasured.code(), "no run yet: no evidence");

        EvalRun run = runs.start(tenant.id(), "gate-slice", null, EvaluateJob.ZERO_SHOT, List.of(demo, small), null);
        GateCheck refused = measured(tenant, small);
        System.out.println("gate on the measured slice: " + refused.evidence());
        assertEquals("below_incumbent", refused.decision().code(), refused.evidence());
        assertEquals(run.id(), refused.decision().candidateRun());
        assertEquals(run.id(), refused.decision().incumbentRun());
        assertEquals("gate-slice v1", refused.dataset());
        assertTrue(refused.decision().candidate() < refused.decision().incumbent(), refused.evidence());

        MontageException stopped = assertThrows(MontageException.class,
                () -> promotions.promoteDefault(ACTOR, target, tenant.id(), small, "  "));
        assertEquals(409, stopped.status());
        assertEquals("below_incumbent", stopped.code(), "a blank reason is no override");
        assertEquals(demo.id(), registry.tenantDefault(tenant.id()).orElseThrow().id(), "refused: no switch");
        AuditEntry decision = latest(target, Promotions.DECISION);
        assertEquals(AuditEntry.FAILED, decision.outcome());
        assertTrue(decision.detail().startsWith("below_incumbent: top1_accuracy ") && decision.detail()
                .contains(run.id().toString()), decision.detail());

        promotions.promoteDefault(ACTOR, target, tenant.id(), small, "the small model is cheaper; accepted loss");
        assertEquals(small.id(), registry.tenantDefault(tenant.id()).orElseThrow().id(), "overridden");
        AuditEntry override = latest(target, Promotions.OVERRIDE);
        assertEquals(ACTOR, override.actor());
        assertEquals("overrode below_incumbent: the small model is cheaper; accepted loss", override.detail());

        GateCheck back = promotions.promoteDefault(ACTOR, target, tenant.id(), demo, null).orElseThrow();
        assertEquals("passed", back.decision().code(), back.evidence());
        assertTrue(back.decision().allowed());
        assertEquals(demo.id(), registry.tenantDefault(tenant.id()).orElseThrow().id());
        assertEquals(AuditEntry.OK, latest(target, Promotions.DECISION).outcome());

        MontageException collection = assertThrows(MontageException.class, () -> promotions.admitCollectionSwitch(
                ACTOR, "collection c of " + target, tenant.id(), demo, small));
        assertEquals("below_incumbent", collection.code(), "the tenant opted collections in");
        promotions.admitCollectionSwitch(ACTOR, "collection c of " + target, tenant.id(), small, demo);
    }

    @Test
    void aCancelledRunEndsCancelledWithItsJobs() throws Exception {
        Tenant tenant = SharedContext.newTenant();
        Model small = DemoBundle.served(DemoBundle.SMALL_DIR);
        importer.importInto(DatasetSpace.of(tenant.id()), "to-cancel", DatasetKind.CLASSIFICATION,
                new FirstEntries(ReadyMade.FASHION_MNIST_TEST.source(ReadyMade.DEFAULT_ROOT), 1000));
        EvalRun run = runs.start(tenant.id(), "to-cancel", null, EvaluateJob.ZERO_SHOT, List.of(small), null);
        EvalRun cancelled = runs.cancel(tenant.id(), run.id());
        assertEquals("cancelled", cancelled.status());
        assertEquals(JobStatus.CANCELLED, jobs.find(tenant.id(), run.models().getFirst().jobId()).orElseThrow()
                .status());
        assertTrue(cancelled.models().getFirst().done() && cancelled.models().getFirst().resultsJson() == null,
                String.valueOf(cancelled.models()));
        assertEquals("cancelled", runs.find(tenant.id(), run.id()).orElseThrow().status());
        MontageException again = assertThrows(MontageException.class, () -> runs.cancel(tenant.id(), run.id()));
        assertEquals("evaluation_not_cancellable", again.code());
        Tenant other = SharedContext.newTenant();
        assertEquals("evaluation_not_found", assertThrows(MontageException.class,
                () -> runs.cancel(other.id(), run.id())).code());
    }

    /** Waits, without reading the run, until the gate has both models' results (the finisher computed them). */
    private GateCheck measured(Tenant tenant, Model candidate) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<GateCheck> check = promotions.checkDefault(tenant.id(), candidate);
            String code = check.orElseThrow().decision().code();
            if (!code.equals("no_candidate_evaluation") && !code.equals("no_incumbent_evaluation")) {
                return check.get();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the finisher did not complete the run within " + WAIT);
    }

    private AuditEntry latest(String target, String action) {
        List<AuditEntry> rows = audit.search(new AuditFilter(ACTOR, action, null, null));
        Optional<AuditEntry> row = rows.stream().filter(r -> r.target().equals(target)).findFirst();
        assertFalse(row.isEmpty(), "no " + action + " row for " + target);
        return row.get();
    }
}
