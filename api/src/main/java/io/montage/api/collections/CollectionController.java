package io.montage.api.collections;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.api.admission.RequestCosts;
import io.montage.api.auth.TenantPrincipal;
import io.montage.api.inference.InferenceInputs;
import io.montage.api.inference.InferenceLimits;
import io.montage.api.inference.SyncInference;
import io.montage.collections.Collection;
import io.montage.collections.CollectionSearch;
import io.montage.collections.Collections;
import io.montage.collections.MetadataFilter;
import io.montage.collections.ModelSwitch;
import io.montage.collections.SearchHit;
import io.montage.collections.SearchRequest;
import io.montage.errors.MontageException;
import io.montage.evaluation.promotion.Promotions;
import io.montage.jobs.contracts.ItemSource;
import io.montage.jobs.Job;
import io.montage.json.JsonCodec;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.micronaut.http.MediaType;
import io.montage.api.openapi.ConflictProblem;
import io.montage.api.openapi.EdgeProblems;
import io.montage.api.openapi.KeyProblems;
import io.montage.api.openapi.NotFoundProblem;
import io.montage.api.openapi.SyncInferenceProblems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/** Collections of the calling tenant: create, list, add and delete items, and search by text, image, item or vector. */
@Tag(name = "Collections")
@EdgeProblems
@KeyProblems
@Controller("/v1/collections")
public class CollectionController {

    @Serdeable
    public record CollectionList(String object, List<CollectionView> data) {
    }

    @Serdeable
    public record Written(String object, List<String> ids) {
    }

    @Serdeable
    public record Deleted(String object, int deleted) {
    }

    /** The collection as it stands, and the job re-embedding its items (follow it at /v1/jobs/{id}). */
    @Serdeable
    public record SwitchStarted(CollectionView collection, @Nullable UUID jobId) {
    }

    @Serdeable
    public record Hit(String id, double score, JsonNode metadata) {
    }

    @Serdeable
    public record SearchResults(String object, String model, boolean exact, List<Hit> data) {
    }

    private final Collections collections;
    private final ModelSwitch modelSwitch;
    private final CollectionSearch search;
    private final CollectionItemWriter writer;
    private final ModelRegistry models;
    private final SyncInference inference;
    private final InferenceLimits limits;
    private final JsonCodec json;
    private final RequestCosts costs;
    private final Promotions promotions;

    public CollectionController(Collections collections, ModelSwitch modelSwitch, CollectionSearch search,
                                CollectionItemWriter writer, ModelRegistry models, SyncInference inference,
                                InferenceLimits limits, JsonCodec json, RequestCosts costs, Promotions promotions) {
        this.collections = collections;
        this.modelSwitch = modelSwitch;
        this.search = search;
        this.writer = writer;
        this.models = models;
        this.inference = inference;
        this.limits = limits;
        this.json = json;
        this.costs = costs;
        this.promotions = promotions;
    }

    @Operation(operationId = "createCollection", summary = "Create a collection of vectors")
    @ApiResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CollectionView.class)))
    @ConflictProblem
    @NotFoundProblem
    @Post
    @Secured("collections:write")
    public HttpResponse<CollectionView> create(Authentication auth, @Body CollectionRequests.Create request) {
        UUID tenantId = TenantPrincipal.of(auth).tenantId();
        Collection created = collections.create(tenantId, request.name(), inference.model(tenantId, request.model()));
        return HttpResponse.created(view(created), URI.create("/v1/collections/" + created.name()));
    }

    @Operation(operationId = "listCollections", summary = "The tenant's collections")
    @Get
    @Secured("collections:read")
    public CollectionList list(Authentication auth) {
        return new CollectionList("list",
                collections.list(TenantPrincipal.of(auth).tenantId()).stream().map(this::view).toList());
    }

    @Operation(operationId = "getCollection", summary = "One collection")
    @NotFoundProblem
    @Get("/{name}")
    @Secured("collections:read")
    public CollectionView get(Authentication auth, @PathVariable String name) {
        return view(collections.get(TenantPrincipal.of(auth).tenantId(), name));
    }

    @Operation(operationId = "deleteCollection", summary = "Delete a collection and its items")
    @ApiResponse(responseCode = "204", description = "deleted")
    @NotFoundProblem
    @ConflictProblem
    @Delete("/{name}")
    @Secured("collections:write")
    public HttpResponse<?> delete(Authentication auth, @PathVariable String name) {
        collections.delete(TenantPrincipal.of(auth).tenantId(), name);
        return HttpResponse.noContent();
    }

    /**
     * Switches the collection to another model: items are re-embedded in the background from their sources while
     * searches keep using the current vectors; the collection flips atomically when all are done. When the tenant
     * gates collections, the promotion gate decides first (409 with its code when the candidate is worse).
     */
    @Operation(operationId = "switchCollectionModel", summary = "Re-embed the collection with another model")
    @ApiResponse(responseCode = "202", description = "the switch started",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SwitchStarted.class)))
    @NotFoundProblem
    @ConflictProblem
    @Post("/{name}/model")
    @Secured("collections:write")
    public HttpResponse<SwitchStarted> switchModel(Authentication auth, @PathVariable String name,
                                                   @Body CollectionRequests.Create request) {
        TenantPrincipal principal = TenantPrincipal.of(auth);
        UUID tenantId = principal.tenantId();
        if (request.model() == null) {
            throw MontageException.invalid("missing_model", "model names the model to switch to");
        }
        Collection collection = collections.get(tenantId, name);
        Model candidate = inference.model(tenantId, request.model()); // a fused model has no vectors to switch to
        if (!candidate.id().equals(collection.modelId())) { // the same model is the switch's own refusal
            promotions.admitCollectionSwitch("key:" + principal.apiKeyId(), "collection " + collection.name()
                    + " of tenant " + principal.tenantSlug(), tenantId, modelOf(collection), candidate);
        }
        Job job = modelSwitch.start(tenantId, collection, candidate);
        return HttpResponse.accepted().body(new SwitchStarted(view(collections.get(tenantId, name)),
                job == null ? null : job.id()));
    }

    /**
     * Abandons a model switch under way: its job is cancelled, the collection stays on its current model and
     * accepts writes again.
     */
    @Operation(operationId = "cancelCollectionModelSwitch", summary = "Abandon a model switch under way")
    @NotFoundProblem
    @ConflictProblem
    @Post("/{name}/model/cancel")
    @Secured("collections:write")
    public CollectionView cancelSwitch(Authentication auth, @PathVariable String name) {
        UUID tenantId = TenantPrincipal.of(auth).tenantId();
        modelSwitch.cancel(tenantId, collections.get(tenantId, name));
        return view(collections.get(tenantId, name));
    }

    @Operation(operationId = "upsertCollectionItems", summary = "Add or replace items")
    @SyncInferenceProblems
    @NotFoundProblem
    @ConflictProblem
    @Post("/{name}/items")
    @Secured("collections:write")
    public Written upsert(Authentication auth, @PathVariable String name, @Body CollectionRequests.Upsert request)
            throws InterruptedException {
        UUID tenantId = TenantPrincipal.of(auth).tenantId();
        Collection collection = collections.get(tenantId, name);
        return new Written("list", writer.upsert(tenantId, collection, modelOf(collection), request.items()));
    }

    @Operation(operationId = "deleteCollectionItems", summary = "Delete items by id")
    @NotFoundProblem
    @ConflictProblem
    @Post("/{name}/items/delete")
    @Secured("collections:write")
    public Deleted deleteItems(Authentication auth, @PathVariable String name, @Body CollectionRequests.Delete request) {
        if (request.ids() == null || request.ids().isEmpty()) {
            throw MontageException.invalid("missing_ids", "ids must list at least one item id");
        }
        UUID tenantId = TenantPrincipal.of(auth).tenantId();
        return new Deleted("deletion", collections.delete(tenantId, collections.get(tenantId, name).id(), request.ids()));
    }

    @Operation(operationId = "deleteCollectionItem", summary = "Delete one item")
    @ApiResponse(responseCode = "204", description = "deleted")
    @NotFoundProblem
    @ConflictProblem
    @Delete("/{name}/items/{id}")
    @Secured("collections:write")
    public HttpResponse<?> deleteItem(Authentication auth, @PathVariable String name, @PathVariable String id) {
        UUID tenantId = TenantPrincipal.of(auth).tenantId();
        if (collections.delete(tenantId, collections.get(tenantId, name).id(), List.of(id)) == 0) {
            throw MontageException.notFound("item_not_found", "no item '" + id + "' in collection '" + name + "'");
        }
        return HttpResponse.noContent();
    }

    @SyncInferenceProblems
    @Operation(operationId = "searchCollection", summary = "Nearest items to a text, an image, a vector or an item")
    @NotFoundProblem
    @Post("/{name}/search")
    @Secured("collections:read")
    public SearchResults search(Authentication auth, @PathVariable String name, @Body CollectionRequests.Search request)
            throws InterruptedException {
        UUID tenantId = TenantPrincipal.of(auth).tenantId();
        Collection collection = collections.get(tenantId, name);
        Model model = modelOf(collection);
        int topK = request.topK() == null ? 10 : request.topK();
        if (topK < 1) {
            throw MontageException.invalid("invalid_top_k", "top_k must be at least 1");
        }
        costs.search(topK);
        MetadataFilter filter = MetadataFilter.parse(request.filter(), json);
        float[] vector = queryVector(tenantId, collection, model, request.query());
        boolean exact = Boolean.TRUE.equals(request.exact());
        List<SearchHit> hits = search.search(tenantId, collection, model.manifest().embeddingDim(),
                new SearchRequest(vector, topK, filter, exact));
        return new SearchResults("list", model.reference(), exact, hits.stream()
                .map(h -> new Hit(h.itemId(), h.score(), json.read(h.metadataJson(), JsonNode.class))).toList());
    }

    private float[] queryVector(UUID tenantId, Collection collection, Model model, CollectionRequests.Query query)
            throws InterruptedException {
        int given = query == null ? 0 : (query.text() != null ? 1 : 0) + (query.image() != null ? 1 : 0)
                + (query.itemId() != null ? 1 : 0) + (query.vector() != null ? 1 : 0);
        if (given != 1) {
            throw MontageException.invalid("invalid_query", "query needs exactly one of text, image, item_id or vector");
        }
        if (query.vector() != null) {
            return ItemChecks.vector(query.vector(), model, "query.vector");
        }
        if (query.itemId() != null) {
            return ItemChecks.direction(collections.embeddingOf(tenantId, collection.id(), query.itemId()),
                    "the vector of item '" + query.itemId() + "'");
        }
        ItemSource item = query.text() != null ? InferenceInputs.textItem(query.text(), "query.text", limits)
                : InferenceInputs.imageItem(query.image(), "query.image", limits);
        return inference.embed(tenantId, model, item);
    }

    private Model modelOf(Collection collection) {
        return models.find(collection.modelId()).orElseThrow();
    }

    private CollectionView view(Collection c) {
        String switchingTo = c.nextModelId() == null ? null
                : models.find(c.nextModelId()).map(Model::reference).orElse(null);
        return new CollectionView(c.id(), "collection", c.name(), modelOf(c).reference(), c.itemCount(), switchingTo,
                c.switchJobId(), c.createdAt());
    }
}
