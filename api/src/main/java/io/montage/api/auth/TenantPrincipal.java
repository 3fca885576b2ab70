package io.montage.api.auth;

import io.micronaut.security.authentication.Authentication;
import io.montage.apikeys.ApiKey;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The tenant and key behind an authenticated request, as controllers read them. */
public record TenantPrincipal(UUID tenantId, String tenantSlug, UUID apiKeyId) {

    private static final String TENANT_ID = "tenant_id";
    private static final String TENANT_SLUG = "tenant_slug";

    static Authentication authentication(ApiKey key, String tenantSlug, List<String> scopes) {
        return Authentication.build(key.id().toString(), scopes,
                Map.of(TENANT_ID, key.tenantId().toString(), TENANT_SLUG, tenantSlug));
    }

    public static TenantPrincipal of(Authentication authentication) {
        Map<String, Object> attributes = authentication.getAttributes();
        return new TenantPrincipal(UUID.fromString((String) attributes.get(TENANT_ID)),
                (String) attributes.get(TENANT_SLUG), UUID.fromString(authentication.getName()));
    }
}
