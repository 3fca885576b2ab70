package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.apikeys.ApiKey;
import io.montage.apikeys.ApiKeyService;
import io.montage.apikeys.Scope;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Lists a tenant's API keys, oldest first: the prefix that revoke-key takes (the key's first characters, never the
 * key), name, scopes and times; a table, or JSON for scripts.
 */
@Prototype
@Command(name = "list-keys", mixinStandardHelpOptions = true,
        description = "List a tenant's API keys: prefix, name, scopes, created, expires, last used, revoked.")
public class ListKeysCommand extends ListingCommand<ListKeysCommand.Listed> {

    /** One key as listed. */
    @Serdeable
    record Listed(UUID id, String prefix, String name, List<String> scopes, Instant createdAt,
                  @Nullable Instant expiresAt, @Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {

        static Listed of(ApiKey key) {
            return new Listed(key.id(), key.prefix(), key.name(), key.scopes().stream().map(Scope::wireName).sorted()
                    .toList(), key.createdAt(), key.expiresAt(), key.lastUsedAt(), key.revokedAt());
        }
    }

    @Option(names = "--tenant", required = true, paramLabel = "ID|SLUG", description = "The tenant's id or slug")
    String tenantReference;

    @Inject
    TenantService tenants;
    @Inject
    ApiKeyService apiKeys;
    @Override
    List<Listed> rows() {
        Tenant tenant = TenantReference.resolve(tenants, tenantReference);
        return apiKeys.list(tenant.id()).stream().map(Listed::of).toList();
    }

    @Override
    Table table(List<Listed> rows) {
        Table table = new Table("PREFIX", "NAME", "SCOPES", "CREATED", "EXPIRES", "LAST USED", "REVOKED");
        rows.forEach(k -> table.row(k.prefix(), k.name(), String.join(",", k.scopes()),
                Table.time(k.createdAt(), ""), Table.time(k.expiresAt(), "never"),
                Table.time(k.lastUsedAt(), "never"), Table.time(k.revokedAt(), "no")));
        return table;
    }
}
