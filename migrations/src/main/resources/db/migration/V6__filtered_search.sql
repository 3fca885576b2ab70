-- Metadata filters that can use the GIN index under row-level security.
--
-- A tenant's queries run under a forced RLS policy; PostgreSQL then evaluates the policy before any operator that
-- is not LEAKPROOF, and jsonb's @> and @@ are not, so a filter never became an index condition: every filtered
-- exact search scanned the whole collection (measured: 36-48 ms where the GIN plan takes 3-14 ms). The planner's
-- selectivity estimators likewise ignore column statistics for such operators.
--
-- These two functions run as the system role (BYPASSRLS) and carry the policy's own predicate,
-- tenant_id = montage_current_tenant(), read from the same transaction-local setting the policy reads: isolation is
-- still enforced by the database, not by the caller. Filters arrive as one jsonpath value (bound data, never SQL
-- text); EXECUTE … USING plans each call with the values known, so the GIN index and the partial HNSW index match.

-- The planner's estimate of how many items of a collection pass a filter (from column statistics; no rows read).
-- Used only to choose between an exact scan of the matching items and the HNSW index; never shown to callers. No
-- tenant predicate: no row is read, and the collection implies the tenant (a tenant term would divide the estimate
-- by the number of tenants).
-- VOLATILE only because PostgreSQL allows EXPLAIN in no other kind of function; it changes nothing.
CREATE FUNCTION montage_filter_estimate(p_collection uuid, p_filter jsonpath) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) SELECT 1 FROM collection_items '
            'WHERE collection_id = $1 AND metadata @@ $2'
        INTO plan USING p_collection, p_filter;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
END
$$;

-- The nearest items of a collection among those passing a filter, by exact cosine distance: the matching items
-- are found first (through the GIN index when the filter is selective), then ranked.
CREATE FUNCTION montage_filtered_nearest(p_collection uuid, p_model uuid, p_filter jsonpath, p_query halfvec,
                                         p_limit integer)
    RETURNS TABLE (item_id text, metadata jsonb, distance double precision)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
BEGIN
    RETURN QUERY EXECUTE
        'SELECT i.item_id, i.metadata, i.embedding <=> $4 FROM collection_items i '
        'WHERE i.tenant_id = montage_current_tenant() AND i.collection_id = $1 AND i.model_id = $2 '
        '  AND i.metadata @@ $3 ORDER BY 3 LIMIT $5'
        USING p_collection, p_model, p_filter, p_query, p_limit;
END
$$;

REVOKE ALL ON FUNCTION montage_filter_estimate(uuid, jsonpath) FROM PUBLIC;
REVOKE ALL ON FUNCTION montage_filtered_nearest(uuid, uuid, jsonpath, halfvec, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION montage_filter_estimate(uuid, jsonpath) TO ${appRole};
GRANT EXECUTE ON FUNCTION montage_filtered_nearest(uuid, uuid, jsonpath, halfvec, integer) TO ${appRole};

-- A new owner needs CREATE on the schema at the moment of the change only.
GRANT CREATE ON SCHEMA public TO ${systemRole};
ALTER FUNCTION montage_filter_estimate(uuid, jsonpath) OWNER TO ${systemRole};
ALTER FUNCTION montage_filtered_nearest(uuid, uuid, jsonpath, halfvec, integer) OWNER TO ${systemRole};
REVOKE CREATE ON SCHEMA public FROM ${systemRole};
