package io.montage.datasets;

import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.json.StrictJson;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Imports a dataset version from any {@link EntrySource}, in one transaction of the dataset's space: the entries
 * stream into the table in batches as the source reads them (never the whole set in memory), each checked (image
 * header, label, captions) and skipped with a reason when bad; the version row comes last, with the counts and the
 * content hash. When a version of the same content exists, the transaction rolls back and that version is the
 * answer: a re-import is harmless.
 */
@Singleton
public class DatasetImporter {

    private static final int BATCH_ENTRIES = 256;
    private static final long BATCH_BYTES = 32L << 20;
    private static final int MAX_LABEL_CHARS = 200;
    private static final int MAX_ORIGIN_CHARS = 300;

    private final Database database;
    private final Datasets datasets;
    private final DatasetsConfig limits;

    DatasetImporter(Database database, Datasets datasets, DatasetsConfig limits) {
        this.database = database;
        this.datasets = datasets;
        this.limits = limits;
    }

    /**
     * Imports {@code source} as a version of the dataset {@code name} of {@code space}, created with {@code kind}
     * if new.
     *
     * @throws MontageException when the name or kind is refused, a limit is passed, or no entry is usable
     */
    public ImportReport importInto(DatasetSpace space, String name, DatasetKind kind, EntrySource source) {
        Datasets.checkName(name);
        try {
            return space.run(database, c -> new Run(c, space, kind, source).importAs(name));
        } catch (SameContent same) {
            return same.report;
        } catch (UncheckedIOException e) {
            throw MontageException.invalid("unreadable_dataset", "the dataset's files could not be read to the end: "
                    + e.getCause().getMessage());
        }
    }

    static MontageException tooManyEntries(int max) {
        return MontageException.invalid("dataset_too_many_entries", "more than " + max + " entries; split the "
                + "dataset or raise montage.datasets.max-entries");
    }

    /** One import, inside its transaction: the sink the source hands its entries to. */
    private final class Run implements EntrySink {
        private final Connection connection;
        private final DatasetSpace space;
        private final DatasetKind kind;
        private final EntrySource source;
        private final UUID versionId = UUID.randomUUID();
        private final List<byte[]> entryHashes = new ArrayList<>();
        private final Map<String, Integer> classCounts = new TreeMap<>();
        private final List<Rejection> firstRejections = new ArrayList<>();
        private final MessageDigest sha256 = sha256();
        private PreparedStatement insert;
        private int pending;
        private long pendingBytes;
        private long totalBytes;
        private int rejected;

        Run(Connection connection, DatasetSpace space, DatasetKind kind, EntrySource source) {
            this.connection = connection;
            this.space = space;
            this.kind = kind;
            this.source = source;
        }

        ImportReport importAs(String name) throws SQLException {
            Dataset dataset = datasets.lockOrCreate(connection, space, name, kind);
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO dataset_entries (version_id, "
                    + "seq, tenant_id, label, captions, origin, image, image_format, width, height) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert = statement;
                try {
                    source.read(this);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                flush();
            }
            if (entryHashes.isEmpty()) {
                throw MontageException.invalid("dataset_empty", "no usable entry (" + rejected + " rejected"
                        + (firstRejections.isEmpty() ? "" : ", the first: " + firstRejections.getFirst().origin()
                        + ": " + firstRejections.getFirst().reason()) + ")");
            }
            byte[] content = contentHash();
            List<DatasetClass> classes = classes();
            DatasetVersion existing = datasets.versionWithContent(connection, dataset.id(), content);
            if (existing != null) {
                throw new SameContent(new ImportReport(dataset, existing, false, rejected, firstRejections,
                        datasets.classes(connection, existing.id())));
            }
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO dataset_classes (version_id, "
                    + "tenant_id, label, ordinal, entry_count) VALUES (?, ?, ?, ?, ?)")) {
                for (DatasetClass c : classes) {
                    statement.setObject(1, versionId);
                    statement.setObject(2, space.tenantId());
                    statement.setString(3, c.label());
                    statement.setInt(4, c.ordinal());
                    statement.setInt(5, c.entryCount());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            DatasetVersion version = datasets.insertVersion(connection, versionId, dataset, content,
                    entryHashes.size(), classes.size(), rejected, totalBytes, source.describe());
            return new ImportReport(dataset, version, true, rejected, List.copyOf(firstRejections), classes);
        }

        @Override
        public DatasetsConfig limits() {
            return limits;
        }

        @Override
        public void entry(String origin, String label, List<String> captions, byte[] image) {
            ImageHeader header;
            String cleanLabel;
            List<String> cleanCaptions;
            try {
                header = ImageHeader.read(image);
                if (header.width() > limits.maxImageSide() || header.height() > limits.maxImageSide()) {
                    throw new IllegalArgumentException("the image is " + header.width() + "x" + header.height()
                            + "; each side may be at most " + limits.maxImageSide()
                            + " pixels (montage.datasets.max-image-side)");
                }
                cleanLabel = label(label);
                cleanCaptions = captions(captions);
            } catch (IllegalArgumentException | MontageException refused) {
                rejected(origin, refused.getMessage());
                return;
            }
            if (entryHashes.size() == limits.maxEntries()) {
                throw tooManyEntries(limits.maxEntries());
            }
            if (cleanLabel != null && !classCounts.containsKey(cleanLabel) && classCounts.size() == limits.maxClasses()) {
                throw MontageException.invalid("dataset_too_many_classes", "more than " + limits.maxClasses()
                        + " classes; raise montage.datasets.max-classes if that many are meant");
            }
            totalBytes += image.length;
            if (totalBytes > limits.maxTotalBytes()) {
                throw MontageException.invalid("dataset_too_large", "the images add up to more than "
                        + limits.maxTotalBytes() + " bytes; split the dataset or raise montage.datasets.max-total-bytes");
            }
            if (cleanLabel != null) {
                classCounts.merge(cleanLabel, 1, Integer::sum);
            }
            entryHashes.add(entryHash(cleanLabel, cleanCaptions, image));
            try {
                int seq = entryHashes.size() - 1;
                insert.setObject(1, versionId);
                insert.setInt(2, seq);
                insert.setObject(3, space.tenantId());
                insert.setString(4, cleanLabel);
                insert.setArray(5, connection.createArrayOf("text", cleanCaptions.toArray()));
                insert.setString(6, shorten(origin, 1000));
                insert.setBytes(7, image);
                insert.setString(8, header.format());
                insert.setInt(9, header.width());
                insert.setInt(10, header.height());
                insert.addBatch();
                pending++;
                pendingBytes += image.length;
                if (pending >= BATCH_ENTRIES || pendingBytes >= BATCH_BYTES) {
                    flush();
                }
            } catch (SQLException e) {
                throw new StoreFailed(e);
            }
        }

        @Override
        public void rejected(String origin, String reason) {
            rejected++;
            if (firstRejections.size() < limits.reportedRejections()) {
                firstRejections.add(new Rejection(shorten(origin, MAX_ORIGIN_CHARS), shorten(reason, 500)));
            }
        }

        private void flush() throws SQLException {
            if (pending > 0) {
                insert.executeBatch();
                pending = 0;
                pendingBytes = 0;
            }
        }

        private String label(String label) {
            String clean = label == null ? null : label.strip();
            if (clean == null || clean.isEmpty()) {
                if (kind == DatasetKind.CLASSIFICATION) {
                    throw new IllegalArgumentException("no label: a classification dataset needs one per entry");
                }
                return null;
            }
            checkText(clean, "the label", MAX_LABEL_CHARS);
            return clean;
        }

        private List<String> captions(List<String> captions) {
            List<String> clean = new ArrayList<>();
            for (String caption : captions) {
                String c = caption == null ? "" : caption.strip();
                if (!c.isEmpty()) {
                    checkText(c, "a caption", limits.maxCaptionChars());
                    clean.add(c);
                }
            }
            if (clean.size() > limits.maxCaptions()) {
                throw new IllegalArgumentException(clean.size() + " captions; at most " + limits.maxCaptions()
                        + " (montage.datasets.max-captions)");
            }
            if (clean.isEmpty() && kind == DatasetKind.RETRIEVAL) {
                throw new IllegalArgumentException("no caption: a retrieval dataset needs one or more per entry");
            }
            return clean;
        }

        /** The source's class order first, then the classes it does not name in label order. */
        private List<DatasetClass> classes() {
            List<DatasetClass> classes = new ArrayList<>();
            Map<String, Integer> rest = new TreeMap<>(classCounts);
            for (String label : source.classOrder()) {
                Integer count = rest.remove(label);
                if (count != null) {
                    classes.add(new DatasetClass(label, classes.size(), count));
                }
            }
            rest.forEach((label, count) -> classes.add(new DatasetClass(label, classes.size(), count)));
            return classes;
        }

        /** Over the sorted entry hashes: the same entries in another order or packaging are the same content. */
        private byte[] contentHash() {
            entryHashes.sort(Arrays::compareUnsigned);
            sha256.reset();
            entryHashes.forEach(sha256::update);
            return sha256.digest();
        }

        private byte[] entryHash(String label, List<String> captions, byte[] image) {
            sha256.reset();
            if (label != null) {
                sha256.update(label.getBytes(StandardCharsets.UTF_8));
            }
            sha256.update((byte) 0);
            for (String caption : captions) {
                sha256.update(caption.getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) 0);
            }
            sha256.update((byte) 1);
            sha256.update(image);
            return sha256.digest();
        }
    }

    private static void checkText(String text, String what, int maxChars) {
        if (text.length() > maxChars) {
            throw new IllegalArgumentException(what + " is longer than " + maxChars + " characters");
        }
        StrictJson.checkText(text, what);
        if (text.chars().anyMatch(ch -> ch < 0x20 && ch != '\t')) {
            throw new IllegalArgumentException(what + " contains a control character; use plain text");
        }
    }

    static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The content is an existing version: rolls the import's transaction back, carrying that version out. */
    private static final class SameContent extends RuntimeException {
        private final transient ImportReport report;

        SameContent(ImportReport report) {
            super(null, null, false, false);
            this.report = report;
        }
    }

    /** A batch insert's failure, carried out of the sink (which cannot throw checked exceptions) to the transaction. */
    private static final class StoreFailed extends RuntimeException {
        StoreFailed(SQLException cause) {
            super(cause);
        }
    }
}
