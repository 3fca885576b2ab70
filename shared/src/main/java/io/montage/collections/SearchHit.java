package io.montage.collections;

/** One search result: the item, its cosine similarity to the query, and its metadata (JSON). */
public record SearchHit(String itemId, double score, String metadataJson) {
}
