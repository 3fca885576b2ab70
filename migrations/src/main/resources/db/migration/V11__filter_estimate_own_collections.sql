-- montage_filter_estimate runs as the system role and read the planner's estimate for any collection id it was
-- given: a tenant who learnt another tenant's collection id could probe how many of its items match a filter.
-- It now answers only for a collection of the calling tenant (the policy's own predicate, from the same
-- transaction-local setting) and 0 otherwise, exactly as for a collection that does not exist.
CREATE OR REPLACE FUNCTION montage_filter_estimate(p_collection uuid, p_filter jsonpath) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
DECLARE
    plan json;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM collections WHERE id = p_collection AND tenant_id = montage_current_tenant()) THEN
        RETURN 0;
    END IF;
    EXECUTE 'EXPLAIN (FORMAT JSON) SELECT 1 FROM collection_items '
            'WHERE collection_id = $1 AND metadata @@ $2'
        INTO plan USING p_collection, p_filter;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
END
$$;
