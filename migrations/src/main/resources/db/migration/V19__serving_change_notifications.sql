-- The api caches what a synchronous request looks up before it is queued (montage.inference-api.lookup-cache.*):
-- the ready model a reference names, a tenant's default model, and whether a live worker serves a model. Any change
-- that can alter one of those answers notifies montage_serving in the changing transaction, whoever makes it
-- (admin command, console, a worker, an operator's SQL), so every api node drops those caches at the commit: a model
-- retired, a new version ready, a tenant's default changed, a worker draining, stopping or unloading a model.
-- Heartbeats (UPDATE OF heartbeat_at only) stay quiet: a worker that dies without a word is noticed by its stale
-- heartbeat, which no trigger can announce; the api bounds that case by a short TTL instead.
-- One function for any such trigger: the channel is the trigger's argument.
CREATE FUNCTION montage_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], '');
    RETURN NULL;
END
$$;

CREATE TRIGGER models_serving_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON models
    FOR EACH STATEMENT EXECUTE FUNCTION montage_notify_change('montage_serving');
CREATE TRIGGER tenants_default_model_changed AFTER UPDATE OF default_model_id OR DELETE ON tenants
    FOR EACH STATEMENT EXECUTE FUNCTION montage_notify_change('montage_serving');
CREATE TRIGGER workers_serving_changed AFTER UPDATE OF status, capabilities OR DELETE OR TRUNCATE ON workers
    FOR EACH STATEMENT EXECUTE FUNCTION montage_notify_change('montage_serving');
