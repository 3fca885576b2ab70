package io.montage.datasets;

import java.util.List;

/**
 * What an import did: the version the content is (new, or the existing one when the same content was imported
 * before), the entries it skipped (all counted, the first few named) and the classes with their counts.
 */
public record ImportReport(Dataset dataset, DatasetVersion version, boolean newVersion, int rejectedCount,
                           List<Rejection> firstRejections, List<DatasetClass> classes) {
}
