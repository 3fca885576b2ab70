-- The api caches accepted API keys (montage.auth.key-cache.*). Any change that can make an accepted key refused —
-- a revocation, a new expiry or scopes, a deletion, the tenant suspended or deleted — notifies montage_api_keys in
-- the changing transaction, whoever makes it (console, admin command, an operator's SQL), so every api node drops
-- its cached keys at the commit. The once-a-minute last_used_at touch names none of these columns: it stays quiet.
CREATE FUNCTION montage_api_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('montage_api_keys', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER api_keys_changed AFTER UPDATE OF revoked_at, expires_at, scopes, secret_hash OR DELETE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION montage_api_keys_changed();
CREATE TRIGGER tenants_changed AFTER UPDATE OF status OR DELETE ON tenants
    FOR EACH STATEMENT EXECUTE FUNCTION montage_api_keys_changed();
