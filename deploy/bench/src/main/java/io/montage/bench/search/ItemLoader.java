package io.montage.bench.search;

import io.montage.collections.Collections;
import io.montage.collections.NewCollectionItem;
import io.montage.db.DataAccessException;
import io.montage.db.Database;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Four ways to put embedded items into {@code collection_items}, timed the same way (client-side encoding
 * included, commit included):
 * <ul>
 * <li>{@link #upsert}: the production path, {@link Collections#upsert} (one INSERT … ON CONFLICT per row, inside
 * the tenant's row-level security), in chunks of 100 items per transaction as an ingest task writes them;</li>
 * <li>{@link #unnest}: one INSERT … SELECT FROM unnest(arrays) per chunk, inside the tenant's row-level security (how
 * JobIntake already writes job items);</li>
 * <li>{@link #copy}: {@code COPY collection_items (…) FROM STDIN}, text or binary, in one transaction. COPY FROM
 * refuses tables with row-level security for a role the policies apply to, so it is tried inside
 * {@code Database.inTenant} first (the refusal is reported) and then run as the system role (BYPASSRLS), where the
 * caller — not a policy — guarantees the tenant_id column.</li>
 * </ul>
 */
final class ItemLoader {

    /** An embedded item to load. */
    record Item(String id, String metadataJson, float[] embedding) {
    }

    /** One load phase's outcome. */
    record Loaded(String method, int rows, double seconds, String note) {
        double perSecond() {
            return rows / seconds;
        }
    }

    private static final String COPY_COLUMNS =
            "collection_items (collection_id, tenant_id, item_id, metadata, model_id, embedding)";
    private static final byte[] BINARY_SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    private final Database database;
    private final Collections collections;
    private final UUID tenantId;
    private final UUID collectionId;
    private final UUID modelId;

    ItemLoader(Database database, Collections collections, UUID tenantId, UUID collectionId, UUID modelId) {
        this.database = database;
        this.collections = collections;
        this.tenantId = tenantId;
        this.collectionId = collectionId;
        this.modelId = modelId;
    }

    Loaded upsert(List<Item> items, int perTransaction, String label) {
        long start = System.nanoTime();
        for (int from = 0; from < items.size(); from += perTransaction) {
            List<NewCollectionItem> chunk = new ArrayList<>(perTransaction);
            for (Item item : items.subList(from, Math.min(items.size(), from + perTransaction))) {
                chunk.add(new NewCollectionItem(item.id(), item.metadataJson(), null, null, null, item.embedding()));
            }
            collections.upsert(tenantId, collectionId, modelId, chunk);
        }
        return new Loaded(label, items.size(), seconds(start), perTransaction + " rows per transaction, "
                + "one INSERT … ON CONFLICT round trip per row (Collections.upsert)");
    }

    Loaded unnest(List<Item> items, int perTransaction) {
        long start = System.nanoTime();
        for (int from = 0; from < items.size(); from += perTransaction) {
            List<Item> chunk = items.subList(from, Math.min(items.size(), from + perTransaction));
            database.inTenant(tenantId, c -> {
                String[] ids = new String[chunk.size()];
                String[] metadata = new String[chunk.size()];
                String[] vectors = new String[chunk.size()];
                for (int i = 0; i < chunk.size(); i++) {
                    ids[i] = chunk.get(i).id();
                    metadata[i] = chunk.get(i).metadataJson();
                    vectors[i] = vectorText(chunk.get(i).embedding());
                }
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO collection_items (collection_id, tenant_id, item_id, metadata, model_id, embedding) "
                                + "SELECT ?, ?, x.id, x.metadata::jsonb, ?, x.embedding::halfvec "
                                + "FROM unnest(?::text[], ?::text[], ?::text[]) AS x(id, metadata, embedding) "
                                + "ON CONFLICT (collection_id, item_id) DO UPDATE SET metadata = excluded.metadata, "
                                + "model_id = excluded.model_id, embedding = excluded.embedding, updated_at = now()")) {
                    insert.setObject(1, collectionId);
                    insert.setObject(2, tenantId);
                    insert.setObject(3, modelId);
                    insert.setArray(4, c.createArrayOf("text", ids));
                    insert.setArray(5, c.createArrayOf("text", metadata));
                    insert.setArray(6, c.createArrayOf("text", vectors));
                    insert.executeUpdate();
                }
                return null;
            });
        }
        return new Loaded("INSERT … SELECT FROM unnest(arrays), in the tenant", items.size(), seconds(start),
                perTransaction + " rows per statement and transaction, row-level security applies");
    }

    /**
     * COPY, text or binary. Returns the load, with the refusal inside the tenant (if any) in its note.
     */
    Loaded copy(List<Item> items, boolean binary) {
        String sql = "COPY " + COPY_COLUMNS + " FROM STDIN" + (binary ? " (FORMAT binary)" : "");
        String refusal;
        try {
            database.inTenant(tenantId, c -> {
                copy(c, sql, items.subList(0, 1), binary); // one row: rolled back below either way
                throw new RolledBack();
            });
            refusal = null;
        } catch (RolledBack e) {
            refusal = null;
        } catch (DataAccessException e) {
            refusal = e.getMessage().replace("database: ", "");
        }
        long start = System.nanoTime();
        database.asSystem(c -> {
            copy(c, sql, items, binary);
            return null;
        });
        double seconds = seconds(start);
        String note = (refusal == null ? "COPY worked inside the tenant"
                : "inside Database.inTenant: \"" + refusal.lines().findFirst().orElse(refusal) + "\"; ran as the system role")
                + ", one transaction";
        return new Loaded("COPY " + (binary ? "binary" : "text"), items.size(), seconds, note);
    }

    private static final class RolledBack extends RuntimeException {
        RolledBack() {
            super("rolled back on purpose", null, false, false);
        }
    }

    private void copy(Connection c, String sql, List<Item> items, boolean binary) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        try (OutputStream raw = new BufferedOutputStream(new PGCopyOutputStream(pg, sql, 1 << 16), 1 << 16)) {
            if (binary) {
                writeBinary(new DataOutputStream(raw), items);
            } else {
                writeText(raw, items);
            }
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException sqlException) {
                throw sqlException;
            }
            throw new UncheckedIOException(e);
        }
    }

    private void writeText(OutputStream out, List<Item> items) throws IOException {
        String prefix = collectionId + "\t" + tenantId + "\t";
        StringBuilder line = new StringBuilder(2048);
        for (Item item : items) {
            line.setLength(0);
            // ids and metadata here hold no tab, newline or backslash: nothing to escape
            line.append(prefix).append(item.id()).append('\t').append(item.metadataJson()).append('\t')
                    .append(modelId).append('\t');
            appendVector(line, item.embedding());
            line.append('\n');
            out.write(line.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** PostgreSQL's binary COPY format; halfvec's binary form is int16 dim, int16 unused (0), dim × IEEE binary16. */
    private void writeBinary(DataOutputStream out, List<Item> items) throws IOException {
        out.write(BINARY_SIGNATURE);
        out.writeInt(0); // flags
        out.writeInt(0); // header extension length
        for (Item item : items) {
            out.writeShort(6);
            uuid(out, collectionId);
            uuid(out, tenantId);
            byte[] id = item.id().getBytes(StandardCharsets.UTF_8);
            out.writeInt(id.length);
            out.write(id);
            byte[] metadata = item.metadataJson().getBytes(StandardCharsets.UTF_8);
            out.writeInt(metadata.length + 1);
            out.writeByte(1); // jsonb binary format version
            out.write(metadata);
            uuid(out, modelId);
            float[] v = item.embedding();
            out.writeInt(4 + 2 * v.length);
            out.writeShort(v.length);
            out.writeShort(0);
            for (float f : v) {
                out.writeShort(Float.floatToFloat16(f));
            }
        }
        out.writeShort(-1);
        out.flush();
    }

    private static void uuid(DataOutputStream out, UUID id) throws IOException {
        out.writeInt(16);
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    static String vectorText(float[] v) {
        StringBuilder out = new StringBuilder(v.length * 12);
        appendVector(out, v);
        return out.toString();
    }

    private static void appendVector(StringBuilder out, float[] v) {
        out.append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(v[i]);
        }
        out.append(']');
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
