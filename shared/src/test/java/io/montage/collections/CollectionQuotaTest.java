package io.montage.collections;

import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.quotas.QuotaExceededException;
import io.montage.quotas.QuotaOverrides;
import io.montage.quotas.Quotas;
import io.montage.tenants.Tenant;
import io.montage.testing.FakeBundle;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The collection_items quota counts new items across a tenant's collections; replacing an item never counts. */
class CollectionQuotaTest {

    private static Model model;
    private final Collections collections = SharedContext.bean(Collections.class);
    private final Tenant tenant = SharedContext.newTenant();

    @BeforeAll
    static void anEightDimensionalModel() throws Exception {
        ModelRegistry registry = SharedContext.bean(ModelRegistry.class);
        model = registry.register(FakeBundle.write(Files.createTempDirectory("bundle"),
                "quota-" + UUID.randomUUID().toString().substring(0, 6), "1", "w").toString());
        registry.markReady(model.id());
    }

    private static List<NewCollectionItem> items(String... ids) {
        return Arrays.stream(ids).map(id -> new NewCollectionItem(id, null, null, null, null,
                new float[]{1, 0, 0, 0, 0, 0, 0, 0})).toList();
    }

    private Collection collection(String name) {
        return collections.get(tenant.id(), name);
    }

    private Collection withQuota(long items) {
        SharedContext.bean(Quotas.class).set(tenant.id(), new QuotaOverrides(null, null, items, null, null));
        collections.create(tenant.id(), "a", model);
        collections.create(tenant.id(), "b", model);
        return collection("a");
    }

    @Test
    void anUpsertOverTheQuotaWritesNothing() {
        UUID a = withQuota(3).id();
        collections.upsert(tenant.id(), a, model.id(), items("x", "y"));
        QuotaExceededException refused = assertThrows(QuotaExceededException.class,
                () -> collections.upsert(tenant.id(), collection("b").id(), model.id(), items("p", "q")));
        assertEquals(2, refused.usage());
        assertEquals(0, collection("b").itemCount());
        collections.upsert(tenant.id(), a, model.id(), items("x", "y", "z")); // two replaced, one new: fits
        assertEquals(3, collection("a").itemCount());
    }

    @Test
    void withinTheQuotaTheLastNewItemsAreLeftOutAndTheRestWritten() {
        UUID a = withQuota(3).id();
        collections.upsert(tenant.id(), a, model.id(), items("x"));
        OverQuota over = collections.upsertWithinQuota(tenant.id(), a, model.id(), items("x", "n1", "n2", "n3"));
        assertEquals(Set.of("n3"), over.itemIds());
        assertTrue(over.reason().contains("collection_items quota"), over.reason());
        assertEquals(3, collection("a").itemCount());
        assertEquals(Set.of(), collections.upsertWithinQuota(tenant.id(), a, model.id(), items("n1")).itemIds());
    }

    @Test
    void roomIsCheckedForTheNewIdsOnly() {
        UUID a = withQuota(2).id();
        collections.upsert(tenant.id(), a, model.id(), items("x", "y"));
        collections.requireRoom(tenant.id(), a, List.of("x", "y"));
        assertThrows(QuotaExceededException.class, () -> collections.requireRoom(tenant.id(), a, List.of("x", "z")));
        collections.delete(tenant.id(), a, List.of("y"));
        collections.requireRoom(tenant.id(), a, List.of("x", "z"));
    }
}
