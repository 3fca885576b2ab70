package io.montage.api.jobs;

import io.montage.api.auth.TenantPrincipal;
import io.montage.apikeys.Scope;
import io.montage.collections.ModelSwitch;
import io.montage.errors.MontageException;

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
            "echo", Set.of(),
            "embed", Set.of(Scope.INFERENCE),
            "classify", Set.of(Scope.INFERENCE),
            "ingest", Set.of(Scope.COLLECTIONS_WRITE));

    /**
     * Tenant jobs that only the api itself starts (synchronous requests, model switches): listed and cancellable
     * under /v1/jobs, never submitted there. Cancelling a switch's job abandons the switch: collection work.
     */
    private static final Map<String, Set<Scope>> STARTED_BY_THE_API = Map.of(
            "similarity", Set.of(Scope.INFERENCE),
            ModelSwitch.TASK, Set.of(Scope.COLLECTIONS_WRITE));

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
