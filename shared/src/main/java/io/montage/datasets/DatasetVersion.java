package io.montage.datasets;

import java.time.Instant;
import java.util.UUID;

/** One immutable import of a dataset; {@code contentSha256} (hex) identifies its content. */
public record DatasetVersion(UUID id, UUID datasetId, int number, String contentSha256, int entryCount,
                             int classCount, int rejectedCount, long imageBytes, String source, Instant createdAt) {
}
