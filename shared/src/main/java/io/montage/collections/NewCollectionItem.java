package io.montage.collections;

/**
 * An item to add or replace: the caller's id, metadata (a JSON object), the sources it was embedded from (kept for
 * re-embedding; both null for a raw vector), a thumbnail for the console, and its embedding.
 */
public record NewCollectionItem(String itemId, String metadataJson, String sourceText, byte[] sourceImage,
                                byte[] thumbnail, float[] embedding) {
}
