package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.apikeys.ApiKey;
import io.montage.apikeys.ApiKeyService;
import io.montage.apikeys.Scope;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Lists a tenant's API keys, oldest first: the prefix that revoke-key takes (the key's first characters, never the
 * key), name, scopes and times; a table, or JSON for scripts.
 */
@Prototype
@Command(name = "list-keys", mixinStandardHelpOptions = true,
        description = "List a tenant's API keys: prefix, name, scopes, created, expires, last used, revoked.")
public class ListKeysCommand implements Callable<Integer> {

    /** One key as listed. */
    @Serdeable
    record Listed(UUID id, String prefix, String name, List<String> scopes, Instant createdAt,
                  @Nullable Instant expiresAt, @Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {

        static Listed of(ApiKey key) {
            return new Listed(key.id(), key.prefix(), key.name(), key.scopes().stream().map(Scope::wireName).sorted()
                    .toList(), key.createdAt(), key.expiresAt(), key.lastUsedAt(), key.revokedAt());
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--tenant", required = true, paramLabel = "ID|SLUG", description = "The tenant's id or slug")
    String tenantReference;

    @Option(names = "--json", description = "Print a JSON array (snake_case fields) instead of a table")
    boolean json;

    @Inject
    TenantService tenants;
    @Inject
    ApiKeyService apiKeys;
    @Inject
    JsonMapper jsonMapper;

    @Override
    public Integer call() throws IOException {
        Tenant tenant = TenantReference.resolve(tenants, tenantReference);
        List<Listed> listed = apiKeys.list(tenant.id()).stream().map(Listed::of).toList();
        if (json) {
            spec.commandLine().getOut().println(jsonMapper.writeValueAsString(listed));
            return 0;
        }
        Table table = new Table("PREFIX", "NAME", "SCOPES", "CREATED", "EXPIRES", "LAST USED", "REVOKED");
        listed.forEach(k -> table.row(k.prefix(), k.name(), String.join(",", k.scopes()),
                Table.time(k.createdAt(), ""), Table.time(k.expiresAt(), "never"),
                Table.time(k.lastUsedAt(), "never"), Table.time(k.revokedAt(), "no")));
        table.print(spec.commandLine().getOut());
        return 0;
    }
}
