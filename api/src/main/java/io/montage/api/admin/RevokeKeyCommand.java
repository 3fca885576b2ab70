package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.apikeys.ApiKeyService;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.util.UUID;
import java.util.concurrent.Callable;

/** Revokes a key; it stops working on its next request. */
@Prototype
@Command(name = "revoke-key", mixinStandardHelpOptions = true, description = "Revoke an API key.")
public class RevokeKeyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tenant", required = true, description = "The tenant's slug")
    String tenantSlug;

    @Option(names = "--key-id", required = true, description = "The key's id (not the key)")
    UUID keyId;

    private final TenantService tenants;
    private final ApiKeyService apiKeys;
    private final CommandAudit audit;

    public RevokeKeyCommand(TenantService tenants, ApiKeyService apiKeys, CommandAudit audit) {
        this.tenants = tenants;
        this.apiKeys = apiKeys;
        this.audit = audit;
    }

    @Override
    public Integer call() {
        audit.recorded("key.revoke", "key " + keyId + " of tenant " + tenantSlug, null, () -> {
            Tenant tenant = tenants.requireBySlug(tenantSlug);
            apiKeys.revoke(tenant.id(), keyId);
            return keyId;
        });
        spec.commandLine().getErr().println("revoked " + keyId);
        return 0;
    }
}
