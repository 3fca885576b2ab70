-- What the KEDA scaler's login role may do: call montage_queue_overview() (counts of unfinished tasks, no input or
-- result; it runs as montage_system, so forced row-level security on tasks does not hide them) and read model names
-- to filter by. Nothing else: it reads no tenant table. Run as montage_owner after the migrations (the migration
-- Job does, on every rollout; it is idempotent). The role itself is created by whoever creates roles: the
-- CloudNativePG cluster's managed roles (postgres-ha/cluster.yaml) or deploy/local/setup-db.sh.
\set ON_ERROR_STOP on
GRANT EXECUTE ON FUNCTION montage_queue_overview() TO montage_scaler;
GRANT SELECT (id, name) ON models TO montage_scaler;
