package io.montage.collections;

import io.montage.db.DataAccessException;
import io.montage.db.DatabaseConfig;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HNSW index per model over collection_items: partial ({@code WHERE model_id = …}) on the embedding cast to the
 * model's dimension, since an index needs one fixed dimension and models differ. Indexes are DDL, so they are made
 * as the owner role, concurrently (writers are never blocked), the first time a collection uses a model.
 */
@Singleton
public class VectorIndexes {

    private final DatabaseConfig config;
    private final Set<UUID> known = ConcurrentHashMap.newKeySet();

    public VectorIndexes(DatabaseConfig config) {
        this.config = config;
    }

    public void ensure(UUID modelId, int dimension) {
        if (known.contains(modelId)) {
            return;
        }
        String sql = "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + indexName(modelId)
                + " ON collection_items USING hnsw ((embedding::halfvec(" + dimension + ")) halfvec_cosine_ops)"
                + " WITH (m = 16, ef_construction = 64) WHERE model_id = '" + modelId + "'";
        try (Connection owner = DriverManager.getConnection(config.url(), config.ownerUser(), config.ownerPassword());
             Statement statement = owner.createStatement()) {
            statement.execute(sql);
            known.add(modelId);
        } catch (SQLException e) {
            throw new DataAccessException("creating the vector index for model " + modelId + ": " + e.getMessage(), e);
        }
    }

    static String indexName(UUID modelId) {
        return "collection_items_hnsw_" + modelId.toString().replace("-", "");
    }
}
