package io.montage.evaluation.promotion;

import io.montage.audit.AuditEntry;
import io.montage.audit.AuditLog;
import io.montage.datasets.Dataset;
import io.montage.datasets.DatasetVersion;
import io.montage.datasets.Datasets;
import io.montage.errors.MontageException;
import io.montage.evaluation.GateDecision;
import io.montage.evaluation.PromotionGate;
import io.montage.evaluation.Scorecard;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.UUID;

/**
 * Evaluation-gated promotion, wired: finds the latest measured results of the candidate and the incumbent on the
 * newest version of the tenant's gate dataset, lets {@link PromotionGate} decide, records the decision with its
 * evidence in the audit log ({@value #DECISION}) and lets the switch go ahead when allowed, or when refused but
 * overridden with a reason (recorded as {@value #OVERRIDE}). Every edge that switches a model goes through here:
 * the console's tenant settings, {@code admin set-default-model} and, opted in, the api's collection model switch.
 */
@Singleton
public class Promotions {

    /** The audit action of a gate decision. */
    public static final String DECISION = "promotion.gate";
    /** The audit action of an admin's override of a refusal. */
    public static final String OVERRIDE = "promotion.override";
    /** The longest override reason kept. */
    public static final int MAX_REASON = 1000;

    private final TenantGates gates;
    private final Datasets datasets;
    private final Scorecards scorecards;
    private final ModelRegistry registry;
    private final AuditLog audit;

    Promotions(TenantGates gates, Datasets datasets, Scorecards scorecards, ModelRegistry registry, AuditLog audit) {
        this.gates = gates;
        this.datasets = datasets;
        this.scorecards = scorecards;
        this.registry = registry;
        this.audit = audit;
    }

    /**
     * What the gate would decide now on making {@code candidate} the tenant's default; empty when it is off or the
     * candidate already is the default (setting it again switches nothing).
     */
    public Optional<GateCheck> checkDefault(UUID tenantId, Model candidate) {
        Optional<TenantGate> gate = gates.of(tenantId).filter(TenantGate::enabled);
        if (gate.isEmpty()) {
            return Optional.empty();
        }
        Model incumbent = registry.tenantDefault(tenantId).orElse(null);
        return incumbent != null && incumbent.id().equals(candidate.id()) ? Optional.empty()
                : Optional.of(check(tenantId, gate.get(), candidate, incumbent));
    }

    /**
     * Makes {@code candidate} the tenant's default model if the gate allows it or {@code overrideReason} (null or
     * blank: none) overrides its refusal; the decision and the override are audited as {@code actor} on
     * {@code target}. Returns the decision, empty when the tenant's gate is off.
     *
     * @throws MontageException 422 model_kind_mismatch for a fused model (the default serves the clip endpoints);
     *                          409 with the gate's code and detail when refused and not overridden
     */
    public Optional<GateCheck> promoteDefault(String actor, String target, UUID tenantId, Model candidate,
                                              String overrideReason) {
        if (candidate.manifest().fused()) {
            // the default answers requests that name no model: embeddings, classify, similarity, search, none of
            // which a fused model can serve; /v1/predict names its fused model in each request instead
            throw MontageException.invalid("model_kind_mismatch", candidate.reference() + " is a fused model; a "
                    + "tenant's default model serves the clip endpoints (embeddings, classify, similarity, "
                    + "collections), so it must be a clip model. Name the fused model in each /v1/predict request");
        }
        checkReason(overrideReason);
        Optional<GateCheck> check = checkDefault(tenantId, candidate);
        check.ifPresent(c -> pass(actor, target, c, overrideReason));
        registry.setTenantDefault(tenantId, candidate.id());
        return check;
    }

    /**
     * Lets a collection's switch from {@code current} to {@code candidate} go ahead when the tenant gates
     * collections; the api has no override (an admin changes the gate instead).
     *
     * @throws MontageException 409 with the gate's code and detail when refused
     */
    public void admitCollectionSwitch(String actor, String target, UUID tenantId, Model current, Model candidate) {
        gates.of(tenantId).filter(TenantGate::gatesCollections)
                .ifPresent(gate -> pass(actor, target, check(tenantId, gate, candidate, current), null));
    }

    private GateCheck check(UUID tenantId, TenantGate gate, Model candidate, Model incumbent) {
        Optional<Dataset> dataset = datasets.find(gate.space(tenantId), gate.datasetName());
        Optional<DatasetVersion> newest = dataset.flatMap(d -> datasets.versions(d).stream().findFirst());
        String name = (gate.shared() ? "shared/" : "") + gate.datasetName();
        if (newest.isEmpty()) {
            return new GateCheck(new GateDecision(false, "gate_dataset_missing", "the gate dataset " + name
                    + " has no version to compare on: import it or choose another gate dataset", gate.policy(), null,
                    null, null, null), name, null, null);
        }
        DatasetVersion version = newest.get();
        String label = name + " v" + version.number();
        Scorecard candidateRun = scorecards.latest(tenantId, version.id(), candidate.id(), label).orElse(null);
        Scorecard incumbentRun = incumbent == null ? null
                : scorecards.latest(tenantId, version.id(), incumbent.id(), label).orElse(null);
        GateDecision decision = PromotionGate.decide(gate.policy(), label, candidate.reference(), candidateRun,
                incumbent == null ? null : incumbent.reference(), incumbentRun);
        return new GateCheck(decision, label, version.id(), version.contentSha256());
    }

    /** Records the decision; a refusal stops here unless a reason overrides it (recorded too). */
    private void pass(String actor, String target, GateCheck check, String overrideReason) {
        GateDecision decision = check.decision();
        audit.record(actor, DECISION, target, decision.allowed() ? AuditEntry.OK : AuditEntry.FAILED,
                check.evidence());
        if (decision.allowed()) {
            return;
        }
        if (overrideReason == null || overrideReason.isBlank()) {
            throw MontageException.conflict(decision.code(), decision.detail());
        }
        audit.record(actor, OVERRIDE, target, AuditEntry.OK, "overrode " + decision.code() + ": "
                + overrideReason.strip());
    }

    private static void checkReason(String reason) {
        if (reason != null && reason.strip().length() > MAX_REASON) {
            throw MontageException.invalid("invalid_override_reason", "an override's reason is at most "
                    + MAX_REASON + " characters");
        }
    }
}
