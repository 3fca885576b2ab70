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
 * Nearest neighbours by cosine similarity in one collection, by one of three plans:
 * <ul>
 *   <li><b>index scan</b>: the model's HNSW index with pgvector 0.8's iterative scan, so a filter still yields
 *   {@code top_k} hits (the scan goes on until enough rows pass, up to max-scan-tuples); relaxed ordering is
 *   re-sorted exactly afterwards;</li>
 *   <li><b>exact scan</b>: every item of the collection compared (asked for, or a small collection);</li>
 *   <li><b>filter first</b>: the items passing the filter found through the GIN index, then ranked exactly. Chosen
 *   when the planner expects few matches (an index scan would walk far past non-matching neighbours, worst when the
 *   filter works against the query), for exact filtered searches, and when an index scan comes back short.</li>
 * </ul>
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
        float[] vector = request.vector(); // bound as float4[]: pgjdbc sends it in binary, pgvector casts it
        MetadataFilter filter = request.filter();
        return database.inTenant(tenantId, c -> {
            tune(c, request.topK());
            if (filter.isEmpty()) {
                return exact ? exactScan(c, collection, vector, request.topK())
                        : indexScan(c, collection, dimension, vector, request);
            }
            if (exact || (config.filterFirstBelow() > 0
                    && estimatedMatches(c, collection, filter) <= config.filterFirstBelow())) {
                return filterFirst(c, collection, vector, request);
            }
            List<SearchHit> hits = indexScan(c, collection, dimension, vector, request);
            // short: the scan reached max-scan-tuples before enough items passed; the exact plan cannot miss any
            return hits.size() < request.topK() ? filterFirst(c, collection, vector, request) : hits;
        });
    }

    private List<SearchHit> exactScan(Connection c, Collection collection, float[] vector, int topK)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT item_id, metadata::text, embedding <=> ?::halfvec AS distance FROM collection_items "
                        + "WHERE collection_id = ? AND model_id = ? ORDER BY distance LIMIT ?")) {
            select.setObject(1, vector);
            select.setObject(2, collection.id());
            select.setObject(3, collection.modelId());
            select.setInt(4, topK);
            return hits(select);
        }
    }

    private List<SearchHit> indexScan(Connection c, Collection collection, int dimension, float[] vector,
                                      SearchRequest request) throws SQLException {
        String cast = "::halfvec(" + dimension + ")"; // the expression of the model's partial HNSW index
        boolean filtered = !request.filter().isEmpty();
        try (PreparedStatement select = c.prepareStatement(
                "WITH hits AS MATERIALIZED (SELECT item_id, metadata, embedding" + cast + " <=> ?" + cast
                        + " AS distance FROM collection_items WHERE collection_id = ? AND model_id = ?"
                        + (filtered ? " AND metadata @@ ?::jsonpath" : "") + " ORDER BY distance LIMIT ?) "
                        + "SELECT item_id, metadata::text, distance FROM hits ORDER BY distance")) {
            int p = 1;
            select.setObject(p++, vector);
            select.setObject(p++, collection.id());
            select.setObject(p++, collection.modelId());
            if (filtered) {
                select.setString(p++, request.filter().path());
            }
            select.setInt(p, request.topK());
            return hits(select);
        }
    }

    private List<SearchHit> filterFirst(Connection c, Collection collection, float[] vector, SearchRequest request)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT item_id, metadata::text, distance "
                        + "FROM montage_filtered_nearest(?, ?, ?::jsonpath, ?::halfvec, ?) ORDER BY distance")) {
            select.setObject(1, collection.id());
            select.setObject(2, collection.modelId());
            select.setString(3, request.filter().path());
            select.setObject(4, vector);
            select.setInt(5, request.topK());
            return hits(select);
        }
    }

    private static long estimatedMatches(Connection c, Collection collection, MetadataFilter filter)
            throws SQLException {
        try (PreparedStatement estimate = c.prepareStatement("SELECT montage_filter_estimate(?, ?::jsonpath)")) {
            estimate.setObject(1, collection.id());
            estimate.setString(2, filter.path());
            try (ResultSet rs = estimate.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Scores are cosine similarities. An item with no direction at half precision (written before writes were
     * checked for it) has a NaN distance, which sorts last: it scores 0, so a score is always a JSON number.
     */
    private static List<SearchHit> hits(PreparedStatement select) throws SQLException {
        List<SearchHit> hits = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                double distance = rs.getDouble(3);
                hits.add(new SearchHit(rs.getString(1), Double.isNaN(distance) ? 0 : 1 - distance, rs.getString(2)));
            }
        }
        return hits;
    }

    /**
     * Transaction-local settings: the HNSW scan's, and custom plans always. After five executions pgjdbc's server
     * statements may get a generic plan, in which {@code model_id = $n} no longer proves the partial index's
     * predicate and the query's cast to halfvec runs per row (measured 10× slower); a custom plan costs ~0.1 ms.
     */
    private void tune(Connection c, int topK) throws SQLException {
        try (PreparedStatement set = c.prepareStatement(
                "SELECT set_config('hnsw.ef_search', ?, true), set_config('hnsw.iterative_scan', 'relaxed_order', true), "
                        + "set_config('hnsw.max_scan_tuples', ?, true), "
                        + "set_config('plan_cache_mode', 'force_custom_plan', true)")) {
            set.setString(1, String.valueOf(Math.max(config.efSearch(), topK))); // fewer candidates than k: fewer hits
            set.setString(2, String.valueOf(config.maxScanTuples()));
            set.execute();
        }
    }
}
