package io.montage.collections;

import io.montage.db.Database;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Nearest neighbours by cosine similarity in one collection. Approximate searches use the model's HNSW index with
 * pgvector 0.8's iterative scan, so a selective metadata filter still yields {@code top_k} hits (the scan goes on
 * until enough rows pass, up to max-scan-tuples); relaxed ordering is re-sorted exactly afterwards. Exact searches
 * (asked for, or any small collection) compare against every item.
 */
@Singleton
public class CollectionSearch {

    private final Database database;
    private final SearchConfig config;

    public CollectionSearch(Database database, SearchConfig config) {
        this.database = database;
        this.config = config;
    }

    public List<SearchHit> search(UUID tenantId, Collection collection, int dimension, SearchRequest request) {
        boolean exact = request.exact() || collection.itemCount() < config.exactBelow();
        String vector = VectorText.of(request.vector());
        return database.inTenant(tenantId, c -> {
            String sql;
            if (exact) {
                sql = "SELECT item_id, metadata::text, 1 - (embedding <=> ?::halfvec) AS score FROM collection_items "
                        + "WHERE collection_id = ? AND model_id = ?" + request.filter().sql()
                        + " ORDER BY embedding <=> ?::halfvec LIMIT ?";
            } else {
                tune(c, request.topK());
                String cast = "::halfvec(" + dimension + ")";
                sql = "WITH hits AS MATERIALIZED (SELECT item_id, metadata, embedding" + cast + " <=> ?" + cast
                        + " AS distance FROM collection_items WHERE collection_id = ? AND model_id = ?"
                        + request.filter().sql() + " ORDER BY distance LIMIT ?) "
                        + "SELECT item_id, metadata::text, 1 - distance AS score FROM hits ORDER BY distance";
            }
            try (PreparedStatement select = c.prepareStatement(sql)) {
                int p = 1;
                select.setString(p++, vector);
                select.setObject(p++, collection.id());
                select.setObject(p++, collection.modelId());
                for (Object parameter : request.filter().parameters()) {
                    if (parameter instanceof String[] values) {
                        select.setArray(p++, c.createArrayOf("text", values));
                    } else {
                        select.setObject(p++, parameter);
                    }
                }
                if (exact) {
                    select.setString(p++, vector);
                }
                select.setInt(p, request.topK());
                List<SearchHit> hits = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        hits.add(new SearchHit(rs.getString(1), rs.getDouble(3), rs.getString(2)));
                    }
                }
                return hits;
            }
        });
    }

    private void tune(Connection c, int topK) throws SQLException {
        try (PreparedStatement set = c.prepareStatement(
                "SELECT set_config('hnsw.ef_search', ?, true), set_config('hnsw.iterative_scan', 'relaxed_order', true), "
                        + "set_config('hnsw.max_scan_tuples', ?, true)")) {
            set.setString(1, String.valueOf(Math.max(config.efSearch(), topK))); // fewer candidates than k: fewer hits
            set.setString(2, String.valueOf(config.maxScanTuples()));
            set.execute();
        }
    }
}
