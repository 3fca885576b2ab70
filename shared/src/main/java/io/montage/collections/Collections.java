package io.montage.collections;

import io.montage.db.Database;
import io.montage.db.Rows;
import io.montage.errors.MontageException;
import io.montage.models.Model;
import io.montage.quotas.QuotaExceededException;
import io.montage.quotas.QuotaRoom;
import io.montage.quotas.Quotas;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** A tenant's collections and their items, inside the tenant's row-level security. */
@Singleton
public class Collections {

    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,99}$");
    /** A collection's columns, with a switch counted only while its job is active (SWITCH_JOIN). */
    static final String COLUMNS = "c.id, c.tenant_id, c.name, c.model_id, c.item_count, c.created_at, "
            + "CASE WHEN j.status IN ('queued', 'running') THEN c.next_model_id END AS next_model_id, "
            + "CASE WHEN j.status IN ('queued', 'running') THEN c.switch_job_id END AS switch_job_id";
    static final String SWITCH_JOIN = "collections c LEFT JOIN jobs j ON j.id = c.switch_job_id";

    private final Database database;
    private final VectorIndexes indexes;
    private final Quotas quotas;

    public Collections(Database database, VectorIndexes indexes, Quotas quotas) {
        this.database = database;
        this.indexes = indexes;
        this.quotas = quotas;
    }

    public Collection create(UUID tenantId, String name, Model model) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw MontageException.invalid("invalid_collection_name",
                    "name must be 1-100 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
        indexes.ensure(model.id(), model.manifest().embeddingDim());
        return database.inTenant(tenantId, c -> {
            if (find(c, name).isPresent()) {
                throw MontageException.conflict("collection_exists", "a collection named '" + name + "' exists");
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO collections (tenant_id, name, model_id) VALUES (?, ?, ?)")) {
                insert.setObject(1, tenantId);
                insert.setString(2, name);
                insert.setObject(3, model.id());
                insert.executeUpdate();
            }
            return find(c, name).orElseThrow();
        });
    }

    public Collection get(UUID tenantId, String name) {
        return database.inTenant(tenantId, c -> find(c, name))
                .orElseThrow(() -> MontageException.notFound("collection_not_found", "no collection '" + name + "'"));
    }

    public List<Collection> list(UUID tenantId) {
        return database.inTenant(tenantId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM " + SWITCH_JOIN + " ORDER BY c.name");
                 ResultSet rs = select.executeQuery()) {
                List<Collection> all = new ArrayList<>();
                while (rs.next()) {
                    all.add(read(rs));
                }
                return all;
            }
        });
    }

    public void delete(UUID tenantId, String name) {
        database.inTenant(tenantId, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM collections WHERE name = ?")) {
                delete.setString(1, name);
                if (delete.executeUpdate() == 0) {
                    throw MontageException.notFound("collection_not_found", "no collection '" + name + "'");
                }
            }
            return null;
        });
    }

    /**
     * Adds or replaces items, embedded by {@code modelId}, in one statement: staged with binary COPY, then
     * {@code INSERT … SELECT … ON CONFLICT}. Vectors for a model other than the collection's current one are
     * refused: they would be in another space. When an id repeats, its last item wins. All or nothing: when the
     * new items would take the tenant over its collection_items quota, nothing is written (429 quota_exceeded).
     * <p>
     * Writers of a collection run side by side: each holds only a key-share lock on the collection row while it
     * writes (the HNSW updates are the slow part: ~1.5 ms a row), which keeps a model switch from starting under it;
     * the item count is updated last, so writers queue on the collection row only for their commit. The quota is
     * checked against the counts committed when the write starts, so writers running at the same moment may
     * together go over it by their own new items (at most one batch each).
     */
    public void upsert(UUID tenantId, UUID collectionId, UUID modelId, List<NewCollectionItem> items) {
        write(tenantId, collectionId, modelId, items, true);
    }

    /**
     * {@link #upsert}, except that the new items that do not fit the tenant's collection_items quota are left out
     * (the last ones first) and the rest are written: a bulk ingest fails those items, not its whole task.
     */
    public OverQuota upsertWithinQuota(UUID tenantId, UUID collectionId, UUID modelId, List<NewCollectionItem> items) {
        return write(tenantId, collectionId, modelId, items, false);
    }

    /**
     * Refuses (429 quota_exceeded) when the items of these ids that the collection does not hold yet would take the
     * tenant over its collection_items quota; replacing an item never counts.
     */
    public void requireRoom(UUID tenantId, UUID collectionId, List<String> itemIds) {
        database.inTenant(tenantId, c -> {
            QuotaRoom room = quotas.collectionItems(c, quotas.of(c));
            if (itemIds.size() > room.left()) {
                room.require(added(c, collectionId, itemIds).size());
            }
            return null;
        });
    }

    private OverQuota write(UUID tenantId, UUID collectionId, UUID modelId, List<NewCollectionItem> items,
                            boolean allOrNothing) {
        Map<String, NewCollectionItem> lastById = new LinkedHashMap<>();
        items.forEach(item -> lastById.put(item.itemId(), item)); // one statement may not touch a row twice
        return database.inTenant(tenantId, c -> {
            checkModel(c, collectionId, modelId);
            OverQuota over = overQuota(c, collectionId, List.copyOf(lastById.keySet()), allOrNothing);
            over.itemIds().forEach(lastById::remove);
            ItemStaging.stage(c, lastById.values());
            int added;
            try (PreparedStatement insert = c.prepareStatement(
                    "WITH written AS (INSERT INTO collection_items (collection_id, tenant_id, item_id, metadata, "
                            + "source_text, source_image, thumbnail, model_id, embedding) "
                            + "SELECT ?, ?, item_id, metadata, source_text, source_image, thumbnail, ?, embedding "
                            + "FROM collection_items_load "
                            + "ON CONFLICT (collection_id, item_id) DO UPDATE SET metadata = excluded.metadata, "
                            + "source_text = excluded.source_text, source_image = excluded.source_image, "
                            + "thumbnail = excluded.thumbnail, model_id = excluded.model_id, "
                            + "embedding = excluded.embedding, next_embedding = NULL, updated_at = now() "
                            + "RETURNING (xmax = 0) AS inserted) "
                            + "SELECT count(*) FILTER (WHERE inserted) FROM written")) {
                insert.setObject(1, collectionId);
                insert.setObject(2, tenantId);
                insert.setObject(3, modelId);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    added = rs.getInt(1);
                }
            }
            adjustCount(c, collectionId, added);
            return over;
        });
    }

    /** The new items among {@code ids} that do not fit the quota: refused outright, or listed to be left out. */
    private OverQuota overQuota(Connection c, UUID collectionId, List<String> ids, boolean allOrNothing)
            throws SQLException {
        QuotaRoom room = quotas.collectionItems(c, quotas.of(c));
        if (ids.size() <= room.left()) {
            return OverQuota.NONE; // even if every one is new (the usual case: no lookup)
        }
        List<String> added = added(c, collectionId, ids);
        if (added.size() <= room.left()) {
            return OverQuota.NONE;
        }
        QuotaExceededException refusal = room.exceeded(added.size());
        if (allOrNothing) {
            throw refusal;
        }
        return new OverQuota(Set.copyOf(added.subList((int) room.left(), added.size())), refusal.getMessage());
    }

    /** The ids, in order, that the collection does not hold yet. */
    private static List<String> added(Connection c, UUID collectionId, List<String> ids) throws SQLException {
        Set<String> existing = new HashSet<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT item_id FROM collection_items WHERE collection_id = ? AND item_id = ANY (?)")) {
            select.setObject(1, collectionId);
            select.setArray(2, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    existing.add(rs.getString(1));
                }
            }
        }
        return ids.stream().filter(id -> !existing.contains(id)).toList();
    }

    /** Deletes items by id; returns how many existed. */
    public int delete(UUID tenantId, UUID collectionId, List<String> itemIds) {
        return database.inTenant(tenantId, c -> {
            int deleted;
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM collection_items WHERE collection_id = ? AND item_id = ANY (?)")) {
                delete.setObject(1, collectionId);
                delete.setArray(2, c.createArrayOf("text", itemIds.toArray()));
                deleted = delete.executeUpdate();
            }
            adjustCount(c, collectionId, -deleted);
            return deleted;
        });
    }

    /** An item's thumbnail as it was stored with the item (the console shows it), or null without one. */
    public byte[] thumbnailOf(UUID tenantId, UUID collectionId, String itemId) {
        return itemColumn(tenantId, collectionId, itemId, "thumbnail", rs -> rs.getBytes(1)).orElse(null);
    }

    /** An item's current embedding, for "more like this" searches. */
    public float[] embeddingOf(UUID tenantId, UUID collectionId, String itemId) {
        return itemColumn(tenantId, collectionId, itemId, "halfvec_send(embedding)",
                rs -> HalfvecBinary.read(rs.getBytes(1)))
                .orElseThrow(() -> MontageException.notFound("item_not_found",
                        "no item '" + itemId + "' in this collection"));
    }

    private interface ColumnReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** One column of one item; empty when there is no such item (or the column is null). */
    private <T> Optional<T> itemColumn(UUID tenantId, UUID collectionId, String itemId, String column,
                                       ColumnReader<T> reader) {
        return database.inTenant(tenantId, c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT " + column + " FROM collection_items WHERE collection_id = ? AND item_id = ?")) {
                select.setObject(1, collectionId);
                select.setString(2, itemId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(reader.read(rs)) : Optional.empty();
                }
            }
        });
    }

    private static void checkModel(Connection c, UUID collectionId, UUID modelId) throws SQLException {
        // FOR KEY SHARE: no conflict with other writers (nor with their item_count updates, which take FOR NO KEY
        // UPDATE), but ModelSwitch.start takes FOR UPDATE and so waits until no write with the old model is under
        // way. A share lock here would deadlock: two writers each upgrading for the count.
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM " + SWITCH_JOIN + " WHERE c.id = ? FOR KEY SHARE OF c")) {
            select.setObject(1, collectionId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw MontageException.notFound("collection_not_found", "the collection no longer exists");
                }
                Collection collection = read(rs);
                if (collection.nextModelId() != null) {
                    throw MontageException.conflict("collection_switching", "the collection is switching models "
                            + "(job " + collection.switchJobId() + "); add items again when GET "
                            + "/v1/collections/{name} shows switching_to null, or cancel the switch");
                }
                if (!collection.modelId().equals(modelId)) {
                    throw MontageException.conflict("collection_model_changed",
                            "the collection now uses another model; embed the items again");
                }
            }
        }
    }

    private static void adjustCount(Connection c, UUID collectionId, int delta) throws SQLException {
        if (delta == 0) {
            return;
        }
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE collections SET item_count = item_count + ? WHERE id = ?")) {
            update.setInt(1, delta);
            update.setObject(2, collectionId);
            update.executeUpdate();
        }
    }

    private static Optional<Collection> find(Connection c, String name) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM " + SWITCH_JOIN + " WHERE c.name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    static Collection read(ResultSet rs) throws SQLException {
        return new Collection(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getString("name"), rs.getObject("model_id", UUID.class), rs.getObject("next_model_id", UUID.class),
                rs.getObject("switch_job_id", UUID.class), rs.getInt("item_count"), Rows.instant(rs, "created_at"));
    }
}
