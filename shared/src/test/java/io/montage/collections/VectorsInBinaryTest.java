package io.montage.collections;

import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;
import io.montage.testing.FakeBundle;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Vectors reach pgvector and come back without decimal text: written with binary COPY, read with halfvec_send, and a
 * query bound as a binary float4[] ranks exactly as pgvector's own cosine of the half-precision values does.
 */
class VectorsInBinaryTest {

    private static Model model;
    private final Collections collections = SharedContext.bean(Collections.class);
    private final Tenant tenant = SharedContext.newTenant();

    @BeforeAll
    static void anEightDimensionalModel() throws Exception {
        model = FakeBundle.registerReady(SharedContext.bean(ModelRegistry.class), "binary");
    }

    private static float[] half(float[] vector) {
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = Float.float16ToFloat(Float.floatToFloat16(vector[i]));
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static double cosine(float[] a, float[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    @Test
    void storedVectorsReadBackAsTheirHalfPrecisionValuesAndQueriesRankByThem() {
        float[] a = {0.1f, -0.2f, 0.3333333f, 1e-3f, 65504f, -1.5f, 0f, 2.0009766f};
        float[] b = {1f, 0f, 0f, 0f, 0f, 0f, 0f, 0.25f};
        Collection collection = collections.create(tenant.id(), "binary", model);
        collections.upsert(tenant.id(), collection.id(), model.id(), List.of(
                new NewCollectionItem("a", null, null, null, null, a),
                new NewCollectionItem("b", null, null, null, null, b)));

        assertArrayEquals(half(a), collections.embeddingOf(tenant.id(), collection.id(), "a"), "exact, bit for bit");
        assertArrayEquals(half(b), collections.embeddingOf(tenant.id(), collection.id(), "b"));

        float[] query = {0.9f, 0.1f, 0f, 0f, 0f, 0f, 0f, 0.3f};
        List<SearchHit> hits = SharedContext.bean(CollectionSearch.class).search(tenant.id(),
                collections.get(tenant.id(), "binary"), 8, new SearchRequest(query, 2, MetadataFilter.NONE, true));
        assertEquals(List.of("b", "a"), hits.stream().map(SearchHit::itemId).toList());
        assertEquals(cosine(half(query), half(b)), hits.get(0).score(), 1e-6, "the query was rounded as halfvec");
        assertEquals(cosine(half(query), half(a)), hits.get(1).score(), 1e-6);
    }
}
