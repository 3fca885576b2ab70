package io.montage.datasets;

import io.montage.db.Database;
import io.montage.db.Rows;
import io.montage.errors.MontageException;
import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The datasets of a space, their versions, classes and sample entries. Each read names its space: a tenant's
 * transaction also sees the shared space's rows (ADR 0013), so reads of one space say {@code tenant_id} explicitly.
 */
@Singleton
public class Datasets {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final String VERSION_COLUMNS = "id, dataset_id, number, content_sha256, entry_count, class_count, "
            + "rejected_count, image_bytes, source, created_at";

    private final Database database;

    Datasets(Database database) {
        this.database = database;
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw MontageException.invalid("invalid_dataset_name", "a dataset name is 1 to 100 characters: lower-case "
                    + "letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
    }

    /** The space's datasets by name. */
    public List<Dataset> list(DatasetSpace space) {
        return space.run(database, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT * FROM datasets "
                    + "WHERE tenant_id IS NOT DISTINCT FROM ? ORDER BY name")) {
                select.setObject(1, space.tenantId());
                return datasets(select);
            }
        });
    }

    public Optional<Dataset> find(DatasetSpace space, String name) {
        return space.run(database, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT * FROM datasets "
                    + "WHERE tenant_id IS NOT DISTINCT FROM ? AND name = ?")) {
                select.setObject(1, space.tenantId());
                select.setString(2, name);
                return datasets(select).stream().findFirst();
            }
        });
    }

    /** The dataset's versions, newest first. */
    public List<DatasetVersion> versions(Dataset dataset) {
        return dataset.space().run(database, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM dataset_versions "
                    + "WHERE dataset_id = ? ORDER BY number DESC")) {
                select.setObject(1, dataset.id());
                return versions(select);
            }
        });
    }

    /** The version's classes in label order, with their counts. */
    public List<DatasetClass> classes(DatasetSpace space, UUID versionId) {
        return space.run(database, c -> classes(c, versionId));
    }

    /**
     * Up to {@code perClass} entries of each of the first {@code classes} classes in class order (unlabelled entries
     * last), each class's in import order.
     */
    public List<DatasetSample> samples(DatasetSpace space, UUID versionId, int classes, int perClass) {
        return space.run(database, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT s.* FROM (SELECT label, ordinal FROM "
                    + "dataset_classes WHERE version_id = ? AND ordinal < ? UNION ALL SELECT NULL, NULL) l "
                    + "CROSS JOIN LATERAL (SELECT seq, origin, label, captions, image_format, width, height "
                    + "FROM dataset_entries e WHERE e.version_id = ? AND e.label IS NOT DISTINCT FROM l.label "
                    + "ORDER BY seq LIMIT ?) s ORDER BY l.ordinal NULLS LAST, s.seq")) {
                select.setObject(1, versionId);
                select.setInt(2, classes);
                select.setObject(3, versionId);
                select.setInt(4, perClass);
                List<DatasetSample> samples = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        Array captions = rs.getArray("captions");
                        samples.add(new DatasetSample(rs.getInt("seq"), rs.getString("origin"), rs.getString("label"),
                                Arrays.asList((String[]) captions.getArray()), rs.getString("image_format"),
                                rs.getInt("width"), rs.getInt("height")));
                    }
                }
                return samples;
            }
        });
    }

    /** The image of entry {@code seq} of the version, if the space has it. */
    public Optional<byte[]> image(DatasetSpace space, UUID versionId, int seq) {
        return space.run(database, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT image FROM dataset_entries "
                    + "WHERE version_id = ? AND seq = ? AND tenant_id IS NOT DISTINCT FROM ?")) {
                select.setObject(1, versionId);
                select.setInt(2, seq);
                select.setObject(3, space.tenantId());
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    /** The media type a browser is told for a stored image: its format by its magic bytes (import checked them). */
    public static String mediaType(byte[] image) {
        String format = ImageHeader.format(image);
        return format == null ? "application/octet-stream" : "image/" + format;
    }

    /** The dataset {@code name} of the space, created if new, locked until the transaction ends (one import at a time). */
    Dataset lockOrCreate(Connection c, DatasetSpace space, String name, DatasetKind kind) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO datasets (tenant_id, name, kind) VALUES (?, ?, ?) "
                + "ON CONFLICT (tenant_id, name) DO NOTHING")) {
            insert.setObject(1, space.tenantId());
            insert.setString(2, name);
            insert.setString(3, kind.wireName());
            insert.executeUpdate();
        }
        Dataset dataset;
        try (PreparedStatement select = c.prepareStatement("SELECT * FROM datasets "
                + "WHERE tenant_id IS NOT DISTINCT FROM ? AND name = ? FOR UPDATE")) {
            select.setObject(1, space.tenantId());
            select.setString(2, name);
            dataset = datasets(select).getFirst();
        }
        if (dataset.kind() != kind) {
            throw MontageException.conflict("dataset_kind_mismatch", "the dataset " + name + " is a "
                    + dataset.kind().wireName() + " dataset; import " + kind.wireName() + " data under another name");
        }
        return dataset;
    }

    DatasetVersion versionWithContent(Connection c, UUID datasetId, byte[] sha256) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM dataset_versions "
                + "WHERE dataset_id = ? AND content_sha256 = ?")) {
            select.setObject(1, datasetId);
            select.setBytes(2, sha256);
            return versions(select).stream().findFirst().orElse(null);
        }
    }

    DatasetVersion insertVersion(Connection c, UUID id, Dataset dataset, byte[] sha256, int entries, int classes,
                                 int rejected, long imageBytes, String source) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO dataset_versions (id, dataset_id, tenant_id, "
                + "number, content_sha256, entry_count, class_count, rejected_count, image_bytes, source) "
                + "SELECT ?, ?, ?, coalesce(max(number), 0) + 1, ?, ?, ?, ?, ?, ? FROM dataset_versions "
                + "WHERE dataset_id = ? RETURNING " + VERSION_COLUMNS)) {
            insert.setObject(1, id);
            insert.setObject(2, dataset.id());
            insert.setObject(3, dataset.tenantId());
            insert.setBytes(4, sha256);
            insert.setInt(5, entries);
            insert.setInt(6, classes);
            insert.setInt(7, rejected);
            insert.setLong(8, imageBytes);
            insert.setString(9, DatasetImporter.shorten(source, 500));
            insert.setObject(10, dataset.id());
            return versions(insert).getFirst();
        }
    }

    List<DatasetClass> classes(Connection c, UUID versionId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT label, ordinal, entry_count FROM dataset_classes "
                + "WHERE version_id = ? ORDER BY ordinal")) {
            select.setObject(1, versionId);
            List<DatasetClass> classes = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    classes.add(new DatasetClass(rs.getString(1), rs.getInt(2), rs.getInt(3)));
                }
            }
            return classes;
        }
    }

    private static List<Dataset> datasets(PreparedStatement select) throws SQLException {
        List<Dataset> datasets = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                datasets.add(new Dataset(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                        rs.getString("name"), DatasetKind.fromWire(rs.getString("kind")), Rows.instant(rs, "created_at")));
            }
        }
        return datasets;
    }

    private static List<DatasetVersion> versions(PreparedStatement select) throws SQLException {
        List<DatasetVersion> versions = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                versions.add(new DatasetVersion(rs.getObject("id", UUID.class), rs.getObject("dataset_id", UUID.class),
                        rs.getInt("number"), DatasetImporter.hex(rs.getBytes("content_sha256")), rs.getInt("entry_count"),
                        rs.getInt("class_count"), rs.getInt("rejected_count"), rs.getLong("image_bytes"),
                        rs.getString("source"), Rows.instant(rs, "created_at")));
            }
        }
        return versions;
    }
}
