package io.montage.api.jobs;

import io.montage.api.auth.TenantPrincipal;
import io.montage.apikeys.Scope;
import io.montage.errors.MontageException;
import io.montage.jobs.contracts.ClassifyJob;
import io.montage.jobs.contracts.EchoJob;
import io.montage.jobs.contracts.EmbedJob;
import io.montage.jobs.contracts.EvaluateJob;
import io.montage.jobs.contracts.IngestJob;
import io.montage.jobs.contracts.PredictJob;
import io.montage.jobs.contracts.ReembedJob;
import io.montage.jobs.contracts.SimilarityJob;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a key must hold to submit or cancel a job: {@code jobs:write} plus the scopes of the work the job does, so a
 * job is never a way around an endpoint's scope (an embed job is inference, an ingest job writes a collection).
 * Reading a job and its results needs {@code jobs:read} only.
 */
final class JobScopes {

    /** The job types tenants may submit through /v1/jobs, and the scopes of their work besides jobs:write. */
    static final Map<String, Set<Scope>> SUBMITTABLE = Map.of(
            EchoJob.NAME, Set.of(),
            EmbedJob.NAME, Set.of(Scope.INFERENCE),
            ClassifyJob.NAME, Set.of(Scope.INFERENCE),
            PredictJob.NAME, Set.of(Scope.INFERENCE),
            IngestJob.NAME, Set.of(Scope.COLLECTIONS_WRITE));

    /**
     * Tenant jobs that only the api itself starts (synchronous requests, model switches): listed and cancellable
     * under /v1/jobs, never submitted there. Cancelling a switch's job abandons the switch: collection work.
     */
    private static final Map<String, Set<Scope>> STARTED_BY_THE_API = Map.of(
            SimilarityJob.NAME, Set.of(Scope.INFERENCE),
            ReembedJob.NAME, Set.of(Scope.COLLECTIONS_WRITE),
            // an evaluation run's job: inference on the tenant's dataset; cancelling it fails the run
            EvaluateJob.NAME, Set.of(Scope.INFERENCE, Scope.EVALUATIONS_READ));

    private JobScopes() {
    }

    /**
     * Refuses with 403 {@code insufficient_scope} unless the caller may start or stop a job of {@code type}. A type
     * this table does not know needs every scope: a new job type cannot slip through with jobs:write alone.
     */
    static void require(String type, TenantPrincipal caller) {
        Set<Scope> needed = EnumSet.of(Scope.JOBS_WRITE);
        needed.addAll(SUBMITTABLE.getOrDefault(type, STARTED_BY_THE_API.getOrDefault(type, EnumSet.allOf(Scope.class))));
        SortedSet<String> missing = needed.stream().filter(scope -> !caller.scopes().contains(scope))
                .map(Scope::wireName).collect(Collectors.toCollection(TreeSet::new));
        if (!missing.isEmpty()) {
            throw new MontageException(403, "insufficient_scope", "job type '" + type + "' needs the scopes "
                    + needed.stream().map(Scope::wireName).collect(Collectors.joining(", "))
                    + "; this API key lacks " + String.join(", ", missing));
        }
    }
}
