package io.montage.api.collections;

import io.micronaut.json.tree.JsonNode;
import io.montage.collections.HalfVectors;
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

    /**
     * A raw vector in the model's space: the model's dimension, every value finite and within half precision, and
     * a direction left once rounded to half precision as it is stored.
     */
    static float[] vector(List<Float> values, Model model, String where) {
        int dimension = model.manifest().embeddingDim();
        if (values.size() != dimension) {
            throw MontageException.invalid("wrong_vector_dimension", where + " has " + values.size()
                    + " values; " + model.reference() + " vectors have " + dimension);
        }
        float[] vector = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            Float v = values.get(i);
            if (v == null || !Float.isFinite(v) || Math.abs(v) > HalfVectors.MAX) {
                throw MontageException.invalid("invalid_vector", where + "[" + i + "] must be a finite number within ±"
                        + (int) HalfVectors.MAX + " (vectors are stored at half precision)");
            }
            vector[i] = v;
        }
        return direction(vector, where);
    }

    /** The vector itself, if it keeps a direction at half precision; a 422 {@code zero_vector} if not. */
    static float[] direction(float[] vector, String where) {
        if (!HalfVectors.hasDirection(vector)) {
            throw MontageException.invalid("zero_vector", where + " is zero, or nearly, at half precision (the "
                    + "precision vectors are stored and compared at): its length must be at least "
                    + HalfVectors.MIN_LENGTH + " once each value is rounded to 16 bits; scale it up (cosine "
                    + "similarity ignores length)");
        }
        return vector;
    }
}
