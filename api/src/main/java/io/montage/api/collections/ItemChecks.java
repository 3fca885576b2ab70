package io.montage.api.collections;

import io.micronaut.json.tree.JsonNode;
import io.montage.errors.MontageException;
import io.montage.models.Model;

import java.util.List;

/** Checks of collection item fields shared by writes and searches. */
final class ItemChecks {

    private ItemChecks() {
    }

    static String id(String id, String where) {
        if (id == null || id.isEmpty() || id.length() > 256) {
            throw MontageException.invalid("invalid_item_id", where + ".id must be 1-256 characters");
        }
        return id;
    }

    static void metadata(JsonNode metadata, String where) {
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw MontageException.invalid("invalid_metadata", where + ".metadata must be a JSON object");
        }
    }

    /** The largest magnitude a halfvec holds (IEEE binary16): vectors are stored at half precision. */
    private static final float HALF_MAX = 65504f;

    /** A raw vector in the model's space: the model's dimension, every value finite and within half precision. */
    static float[] vector(List<Float> values, Model model, String where) {
        int dimension = model.manifest().embeddingDim();
        if (values.size() != dimension) {
            throw MontageException.invalid("wrong_vector_dimension", where + " has " + values.size()
                    + " values; " + model.reference() + " vectors have " + dimension);
        }
        float[] vector = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            Float v = values.get(i);
            if (v == null || !Float.isFinite(v) || Math.abs(v) > HALF_MAX) {
                throw MontageException.invalid("invalid_vector", where + "[" + i + "] must be a finite number within ±"
                        + (int) HALF_MAX + " (vectors are stored at half precision)");
            }
            vector[i] = v;
            norm += v * v;
        }
        if (norm == 0) {
            throw MontageException.invalid("zero_vector", where + " is all zeros; a cosine search needs a direction");
        }
        return vector;
    }
}
