package io.montage.api.auth;

import io.micronaut.security.authentication.Authentication;
import io.montage.apikeys.ApiKey;
import io.montage.apikeys.Scope;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The tenant and key behind an authenticated request, as controllers read them, with the key's scopes. */
public record TenantPrincipal(UUID tenantId, String tenantSlug, UUID apiKeyId, Set<Scope> scopes) {

    private static final String TENANT_ID = "tenant_id";
    private static final String TENANT_SLUG = "tenant_slug";

    static Authentication authentication(ApiKey key, String tenantSlug, List<String> scopes) {
        return Authentication.build(key.id().toString(), scopes,
                Map.of(TENANT_ID, key.tenantId().toString(), TENANT_SLUG, tenantSlug));
    }

    public static TenantPrincipal of(Authentication authentication) {
        Map<String, Object> attributes = authentication.getAttributes();
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        authentication.getRoles().stream().map(Scope::fromWireName).flatMap(Optional::stream).forEach(scopes::add);
        return new TenantPrincipal(UUID.fromString((String) attributes.get(TENANT_ID)),
                (String) attributes.get(TENANT_SLUG), UUID.fromString(authentication.getName()), Set.copyOf(scopes));
    }
}
