package io.montage.datasets;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Limits of a dataset import (montage.datasets.*). Beyond an entry, class or byte limit the whole import is refused
 * (a dataset cut short would be measured as if it were whole); an entry beyond a per-entry limit is reported and
 * skipped.
 *
 * @param maxEntries         entries of one version
 * @param maxClasses         distinct labels of one version
 * @param maxImageBytes      one image's encoded bytes (also what one entry may take in memory while importing)
 * @param maxTotalBytes      all images of one version together
 * @param maxImageSide       an image's width and height, each
 * @param maxCaptions        captions of one entry
 * @param maxCaptionChars    one caption's characters
 * @param reportedRejections rejected entries named in a report (all are counted)
 */
@ConfigurationProperties("montage.datasets")
public record DatasetsConfig(@Bindable(defaultValue = "100000") int maxEntries,
                             @Bindable(defaultValue = "1000") int maxClasses,
                             @Bindable(defaultValue = "4194304") int maxImageBytes,
                             @Bindable(defaultValue = "2147483648") long maxTotalBytes,
                             @Bindable(defaultValue = "4096") int maxImageSide,
                             @Bindable(defaultValue = "10") int maxCaptions,
                             @Bindable(defaultValue = "1000") int maxCaptionChars,
                             @Bindable(defaultValue = "20") int reportedRejections) {
}
