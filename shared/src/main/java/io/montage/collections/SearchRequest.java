package io.montage.collections;

/**
 * A vector search in a collection.
 *
 * @param vector the query embedding, in the collection's model's space
 * @param topK   how many hits
 * @param filter metadata conditions every hit must meet
 * @param exact  scan every item instead of the approximate (HNSW) index
 */
public record SearchRequest(float[] vector, int topK, MetadataFilter filter, boolean exact) {
}
