package io.montage.evaluation.runs;

import io.montage.db.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A range of a dataset version's entries as an evaluation reads them: the image, the class ordinal and the
 * captions. Read in the run's tenant transaction, so row-level security decides: the tenant's own datasets and the
 * shared space's (ADR 0011), never another tenant's.
 */
@Singleton
public class EvalEntries {

    /** One entry: {@code ordinal} is its class's (null for an unlabelled retrieval entry). */
    public record Entry(int seq, Integer ordinal, List<String> captions, byte[] image) {
    }

    private final Database database;

    EvalEntries(Database database) {
        this.database = database;
    }

    /** The entries with {@code from ≤ seq < to}, in seq order. */
    public List<Entry> read(UUID tenantId, UUID versionId, int from, int to) {
        return database.inTenant(tenantId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT e.seq, k.ordinal, e.captions, e.image "
                    + "FROM dataset_entries e LEFT JOIN dataset_classes k "
                    + "ON k.version_id = e.version_id AND k.label = e.label "
                    + "WHERE e.version_id = ? AND e.seq >= ? AND e.seq < ? ORDER BY e.seq")) {
                select.setObject(1, versionId);
                select.setInt(2, from);
                select.setInt(3, to);
                List<Entry> out = new ArrayList<>(Math.max(0, Math.min(to - from, 1024)));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        int ordinal = rs.getInt(2);
                        Integer known = rs.wasNull() ? null : ordinal;
                        out.add(new Entry(rs.getInt(1), known,
                                Arrays.asList((String[]) rs.getArray(3).getArray()), rs.getBytes(4)));
                    }
                }
                return out;
            }
        });
    }

    /** How many captions the version's entries have in all (the caption side of a retrieval run). */
    public long captionCount(UUID tenantId, UUID versionId) {
        return database.inTenant(tenantId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT coalesce(sum(cardinality(captions)), 0) "
                    + "FROM dataset_entries WHERE version_id = ?")) {
                select.setObject(1, versionId);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Every entry's captions, by seq (what a retrieval run's relevance is built from; the images stay put). */
    public List<List<String>> captions(UUID tenantId, UUID versionId) {
        return database.inTenant(tenantId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT captions FROM dataset_entries "
                    + "WHERE version_id = ? ORDER BY seq")) {
                select.setObject(1, versionId);
                List<List<String>> out = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.add(Arrays.asList((String[]) rs.getArray(1).getArray()));
                    }
                }
                return out;
            }
        });
    }
}
