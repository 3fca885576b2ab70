package io.montage.api.jobs;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Bounds of one zip upload (montage.jobs.zip.*): what it costs is bounded by what it expands to, not by its
 * compressed size.
 *
 * @param maxEntries           entries (files and folders) in one archive
 * @param maxExpandedBytes     bytes all entries expand to together (images and metadata.jsonl)
 * @param maxMetadataLineBytes one line of metadata.jsonl, the most of it ever held in memory
 */
@ConfigurationProperties("montage.jobs.zip")
public record ZipLimits(@Bindable(defaultValue = "100000") int maxEntries,
                        @Bindable(defaultValue = "4294967296") long maxExpandedBytes,
                        @Bindable(defaultValue = "1048576") int maxMetadataLineBytes) {
}
