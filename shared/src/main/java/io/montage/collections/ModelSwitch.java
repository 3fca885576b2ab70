package io.montage.collections;

import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.jobs.Job;
import io.montage.jobs.JobIntake;
import io.montage.jobs.NewItem;
import io.montage.jobs.Priority;
import io.montage.jobs.contracts.ItemSource;
import io.montage.jobs.contracts.JobCodec;
import io.montage.jobs.contracts.ReembedJob;
import io.montage.models.Model;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Moving a collection to another model without a gap: every item is re-embedded from its stored source into
 * {@code next_embedding} in the background while searches keep using the current vectors; when the last item is
 * done, one transaction swaps all vectors and the collection's model. Writes to the collection are refused until
 * then (they would need vectors from both models).
 */
@Singleton
public class ModelSwitch {

    private final Database database;
    private final JobIntake queue;
    private final VectorIndexes indexes;
    private final JobCodec codec;

    public ModelSwitch(Database database, JobIntake queue, VectorIndexes indexes, JobCodec codec) {
        this.database = database;
        this.queue = queue;
        this.indexes = indexes;
        this.codec = codec;
    }

    /**
     * Starts the switch: marks the collection and queues the re-embedding of every item, in one transaction.
     * An empty collection switches at once (no job: null).
     */
    public Job start(UUID tenantId, Collection collection, Model model) {
        if (model.id().equals(collection.modelId())) {
            throw MontageException.conflict("same_model", "the collection already uses " + model.reference());
        }
        indexes.ensure(model.id(), model.manifest().embeddingDim());
        return database.inTenant(tenantId, c -> {
            // FOR UPDATE waits for writers still adding vectors of the current model (they hold FOR KEY SHARE);
            // the item list read below then includes their items
            try (PreparedStatement lock = c.prepareStatement("SELECT " + Collections.COLUMNS + " FROM "
                    + Collections.SWITCH_JOIN + " WHERE c.id = ? FOR UPDATE OF c")) {
                lock.setObject(1, collection.id());
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        throw MontageException.notFound("collection_not_found", "the collection no longer exists");
                    }
                    if (Collections.read(rs).nextModelId() != null) {
                        throw MontageException.conflict("collection_switching", "the collection is already switching models");
                    }
                }
            }
            try (PreparedStatement clear = c.prepareStatement( // what an abandoned switch left behind
                    "UPDATE collection_items SET next_embedding = NULL WHERE collection_id = ? AND next_embedding IS NOT NULL");
                 PreparedStatement mark = c.prepareStatement(
                         "UPDATE collections SET next_model_id = ?, switch_job_id = NULL WHERE id = ?")) {
                clear.setObject(1, collection.id());
                clear.executeUpdate();
                mark.setObject(1, model.id());
                mark.setObject(2, collection.id());
                mark.executeUpdate();
            }
            List<NewItem> items = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT item_id, source_text IS NOT NULL OR source_image IS NOT NULL FROM collection_items "
                            + "WHERE collection_id = ? ORDER BY item_id")) {
                select.setObject(1, collection.id());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        if (!rs.getBoolean(2)) {
                            throw MontageException.conflict("collection_has_raw_vectors", "item '" + rs.getString(1)
                                    + "' was added as a raw vector and has no source to re-embed; delete such items first");
                        }
                        items.add(codec.item(ReembedJob.CONTRACT, rs.getString(1), new ReembedJob.Input(rs.getString(1))));
                    }
                }
            }
            if (items.isEmpty()) {
                flip(c, collection.id(), model.id());
                return null;
            }
            Job job = queue.enqueue(c, tenantId, codec.job(ReembedJob.CONTRACT, Priority.BULK,
                    new ReembedJob.Params(collection.id()), model.id(), null, items));
            try (PreparedStatement link = c.prepareStatement("UPDATE collections SET switch_job_id = ? WHERE id = ?")) {
                link.setObject(1, job.id());
                link.setObject(2, collection.id());
                link.executeUpdate();
            }
            return job;
        });
    }

    /**
     * Abandons a switch under way by cancelling its job: the collection stays on its model, writes are accepted
     * again, and vectors computed so far are discarded by the next switch. Returns the cancelled job.
     */
    public Job cancel(UUID tenantId, Collection collection) {
        if (collection.switchJobId() == null) {
            throw MontageException.conflict("collection_not_switching", "the collection is not switching models");
        }
        return queue.cancel(tenantId, collection.switchJobId());
    }

    /** The stored sources of items, as inference inputs (a text or an image's bytes), by item id. */
    public Map<String, ItemSource> sources(UUID tenantId, UUID collectionId, List<String> itemIds) {
        return database.inTenant(tenantId, c -> {
            Map<String, ItemSource> inputs = new LinkedHashMap<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT item_id, source_text, source_image FROM collection_items "
                            + "WHERE collection_id = ? AND item_id = ANY (?)")) {
                select.setObject(1, collectionId);
                select.setArray(2, c.createArrayOf("text", itemIds.toArray()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        String text = rs.getString(2);
                        inputs.put(rs.getString(1), text != null ? ItemSource.text(text)
                                : ItemSource.image(rs.getBytes(3)));
                    }
                }
            }
            return inputs;
        });
    }

    /**
     * Stores new vectors for a switch still under way to {@code modelId}, then completes the switch if no item
     * lacks one. Each task checks after its own commit, so whichever finishes last sees everything and flips.
     */
    public void record(UUID tenantId, UUID collectionId, UUID modelId, Map<String, float[]> vectors) {
        database.inTenant(tenantId, c -> {
            if (!switchingTo(c, collectionId, modelId, "")) {
                return null; // the switch was abandoned or already done
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE collection_items SET next_embedding = ?::halfvec WHERE collection_id = ? AND item_id = ?")) {
                for (Map.Entry<String, float[]> v : vectors.entrySet()) {
                    update.setObject(1, v.getValue()); // float4[], in binary; cast to halfvec by pgvector
                    update.setObject(2, collectionId);
                    update.setString(3, v.getKey());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
        database.inTenant(tenantId, c -> {
            if (!switchingTo(c, collectionId, modelId, " FOR NO KEY UPDATE OF c")) {
                return null;
            }
            try (PreparedStatement missing = c.prepareStatement(
                    "SELECT EXISTS (SELECT 1 FROM collection_items WHERE collection_id = ? AND next_embedding IS NULL)")) {
                missing.setObject(1, collectionId);
                try (ResultSet rs = missing.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        flip(c, collectionId, modelId);
                    }
                }
            }
            return null;
        });
    }

    private static void flip(Connection c, UUID collectionId, UUID modelId) throws SQLException {
        try (PreparedStatement items = c.prepareStatement(
                "UPDATE collection_items SET embedding = next_embedding, model_id = ?, next_embedding = NULL, "
                        + "updated_at = now() WHERE collection_id = ? AND next_embedding IS NOT NULL");
             PreparedStatement collection = c.prepareStatement(
                     "UPDATE collections SET model_id = ?, next_model_id = NULL, switch_job_id = NULL WHERE id = ?")) {
            items.setObject(1, modelId);
            items.setObject(2, collectionId);
            items.executeUpdate();
            collection.setObject(1, modelId);
            collection.setObject(2, collectionId);
            collection.executeUpdate();
        }
    }

    /** Whether a switch to {@code modelId} is under way: marked, and its job still queued or running. */
    private static boolean switchingTo(Connection c, UUID collectionId, UUID modelId, String lock) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + Collections.COLUMNS + " FROM "
                + Collections.SWITCH_JOIN + " WHERE c.id = ?" + lock)) {
            select.setObject(1, collectionId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() && modelId.equals(Collections.read(rs).nextModelId());
            }
        }
    }
}
