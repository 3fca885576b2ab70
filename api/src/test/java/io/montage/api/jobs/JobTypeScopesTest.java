package io.montage.api.jobs;

import io.micronaut.context.ApplicationContext;
import io.montage.api.ApiServer;
import io.montage.api.auth.TenantPrincipal;
import io.montage.apikeys.ApiKeyService;
import io.montage.apikeys.Scope;
import io.montage.jobs.contracts.ReembedJob;
import io.montage.errors.MontageException;
import io.montage.jobs.Job;
import io.montage.jobs.JobIntake;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.testing.FakeBundle;
import io.montage.testing.SharedContext;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import io.montage.quotas.QuotaOverrides;
import io.montage.quotas.Quotas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job is never a way around an endpoint's scope: every submittable job type × keys of every single scope and of
 * jobs:write plus one more scope; 403 {@code insufficient_scope} naming what is missing exactly when the key lacks
 * jobs:write or the scope of the job's work. Internal job types cannot be submitted at all.
 */
class JobTypeScopesTest {

    /** What each job type needs besides jobs:write (the table in docs/api.md). */
    private static final Map<String, Set<Scope>> NEEDS = Map.of(
            "echo", Set.of(),
            "embed", Set.of(Scope.INFERENCE),
            "classify", Set.of(Scope.INFERENCE),
            "predict", Set.of(Scope.INFERENCE),
            "ingest", Set.of(Scope.COLLECTIONS_WRITE));

    private static Tenant tenant;
    private static Model model;
    private static Model fused;
    private static final Map<Set<Scope>, String> KEYS = new LinkedHashMap<>();

    @BeforeAll
    static void keysOfEveryShapeAndACollection() throws Exception {
        model = FakeBundle.registerReady(ApiServer.bean(ModelRegistry.class), "scopes");
        fused = FakeBundle.registerReadyFused(ApiServer.bean(ModelRegistry.class), "scopes-fused");
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 8);
        tenant = ApiServer.bean(TenantService.class).create(slug, slug);
        // every accepted job stays queued (no worker here): room for all of them, as the quota tests check the limit
        ApiServer.bean(Quotas.class).set(tenant.id(), new QuotaOverrides(null, 1000, null, null, null));
        for (Scope scope : Scope.values()) {
            key(Set.of(scope));
            if (scope != Scope.JOBS_WRITE) {
                key(Set.of(Scope.JOBS_WRITE, scope));
            }
        }
        String all = key(EnumSet.allOf(Scope.class));
        assertEquals(201, send("POST", "/v1/collections", all,
                "{\"name\":\"target\",\"model\":\"" + model.reference() + "\"}").status());
    }

    private static String key(Set<Scope> scopes) {
        String secret = ApiServer.bean(ApiKeyService.class).create(tenant.id(), "k", scopes, null).secret();
        KEYS.put(scopes, secret);
        return secret;
    }

    private static String job(String type) {
        return switch (type) {
            case "echo" -> "{\"type\":\"echo\",\"items\":[{\"input\":1}]}";
            case "embed" -> "{\"type\":\"embed\",\"model\":\"" + model.reference() + "\",\"items\":[{\"text\":\"a\"}]}";
            case "classify" -> "{\"type\":\"classify\",\"model\":\"" + model.reference()
                    + "\",\"labels\":[\"a\",\"b\"],\"items\":[{\"image_url\":\"https://example.com/a.png\"}]}";
            case "predict" -> "{\"type\":\"predict\",\"model\":\"" + fused.reference()
                    + "\",\"items\":[{\"image_url\":\"https://example.com/a.png\",\"text\":\"a cat\"}]}";
            case "ingest" -> "{\"type\":\"ingest\",\"collection\":\"target\",\"items\":[{\"item_id\":\"a\",\"text\":\"t\"}]}";
            default -> throw new IllegalArgumentException(type);
        };
    }

    @Test
    void everyJobTypeNeedsJobsWriteAndTheScopeOfItsWork() {
        assertEquals(NEEDS.keySet(), JobScopes.SUBMITTABLE.keySet(), "a new job type: add it here and to docs/api.md");
        List<String> wrong = new ArrayList<>();
        NEEDS.forEach((type, needs) -> KEYS.forEach((scopes, key) -> {
            Set<Scope> needed = EnumSet.of(Scope.JOBS_WRITE);
            needed.addAll(needs);
            ApiServer.Response response = send("POST", "/v1/jobs", key, job(type));
            if (scopes.containsAll(needed)) {
                if (response.status() != 201) {
                    wrong.add(type + " with " + scopes + ": " + response.status() + " " + response.body());
                }
                return;
            }
            if (response.status() != 403) {
                wrong.add(type + " with " + scopes + ": " + response.status() + " " + response.body());
                return;
            }
            // without jobs:write the route itself refuses; with it, the job type names what else it needs
            String detail = assertProblem(response, 403, "insufficient_scope").get("detail").getStringValue();
            Set<Scope> named = scopes.contains(Scope.JOBS_WRITE) ? needed : Set.of(Scope.JOBS_WRITE);
            for (Scope scope : named) {
                if (!scopes.contains(scope) && !detail.contains(scope.wireName())) {
                    wrong.add(type + " with " + scopes + ": the 403 does not name " + scope.wireName() + ": " + detail);
                }
            }
        }));
        assertEquals(List.of(), wrong);
    }

    @Test
    void uploadsAreHeldToTheSameScopes() {
        String jobsWriteOnly = KEYS.get(Set.of(Scope.JOBS_WRITE));
        String query = "?type=embed&model=" + model.reference();
        assertProblem(upload(query, "application/x-ndjson", jobsWriteOnly, "{\"text\":\"a\"}\n"), 403,
                "insufficient_scope");
        assertProblem(upload(query, "application/zip", jobsWriteOnly, "PK\u0003\u0004"), 403, "insufficient_scope");
        assertProblem(upload("?type=ingest&collection=target", "application/x-ndjson", jobsWriteOnly,
                "{\"item_id\":\"a\",\"text\":\"t\"}\n"), 403, "insufficient_scope");
        assertEquals(201, upload(query, "application/x-ndjson", KEYS.get(Set.of(Scope.JOBS_WRITE, Scope.INFERENCE)),
                "{\"text\":\"a\"}\n").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {ReembedJob.NAME, "model.validate", "similarity", "evaluate", "test-slow"})
    void internalJobTypesCannotBeSubmitted(String type) {
        assertProblem(send("POST", "/v1/jobs", KEYS.get(Set.of(Scope.JOBS_WRITE, Scope.COLLECTIONS_WRITE)),
                "{\"type\":\"" + type + "\",\"items\":[{\"input\":1}]}"), 422, "unknown_job_type");
    }

    @Test
    void theApiRefusesToStartWhenConfiguredToOfferAnInternalType() {
        Map<String, Object> properties = new HashMap<>(SharedContext.properties());
        properties.put("montage.jobs.types", "echo," + ReembedJob.NAME);
        Exception e = assertThrows(Exception.class, () -> ApplicationContext.run(properties, "test").close());
        assertTrue(causes(e).contains("'" + ReembedJob.NAME + "', which tenants may not submit"), causes(e));
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" / ");
        }
        return all.toString();
    }

    @Test
    void cancellingAModelSwitchIsCollectionWork() {
        Job reembed = ApiServer.bean(JobIntake.class).submit(tenant.id(), new NewJob(ReembedJob.NAME, Priority.BULK,
                "{}", List.of(new NewItem("a", "{\"item_id\":\"a\"}"))));
        String path = "/v1/jobs/" + reembed.id() + "/cancel";
        var refused = assertProblem(send("POST", path, KEYS.get(Set.of(Scope.JOBS_WRITE)), null), 403,
                "insufficient_scope");
        assertTrue(refused.get("detail").getStringValue().contains("collections:write"), refused.toString());
        assertEquals(200, send("POST", path, KEYS.get(Set.of(Scope.JOBS_WRITE, Scope.COLLECTIONS_WRITE)), null).status());
    }

    @Test
    void aJobTypeNobodyClassifiedNeedsEveryScope() {
        TenantPrincipal almostAll = new TenantPrincipal(tenant.id(), "t", UUID.randomUUID(),
                EnumSet.complementOf(EnumSet.of(Scope.COLLECTIONS_READ)));
        MontageException e = assertThrows(MontageException.class, () -> JobScopes.require("brand-new", almostAll));
        assertEquals(403, e.status());
        assertTrue(e.getMessage().contains("lacks collections:read"), e.getMessage());
    }

    private static ApiServer.Response upload(String query, String contentType, String key, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ApiServer.get().getURL() + "/v1/jobs" + query))
                .header("Authorization", "Bearer " + key).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = ApiServer.exchange(request);
        return new ApiServer.Response(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body());
    }
}
