package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.apikeys.ApiKeyService;
import io.montage.apikeys.CreatedApiKey;
import io.montage.apikeys.Scope;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Issues an API key for a tenant and prints it: the key alone on stdout (so scripts can capture it), everything
 * else on stderr. This is the only time the key is shown.
 */
@Prototype
@Command(name = "create-key", mixinStandardHelpOptions = true, description = "Issue an API key and print it once.")
public class CreateKeyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tenant", required = true, description = "The tenant's slug")
    String tenantSlug;

    @Option(names = "--create-tenant", description = "Create the tenant first if it does not exist")
    boolean createTenant;

    @Option(names = "--name", defaultValue = "admin-issued", description = "A label for the key")
    String name;

    @Option(names = "--scope", split = ",", description = "Scopes (default: all): ${COMPLETION-CANDIDATES}")
    List<String> scopes;

    @Option(names = "--expires-in-days", description = "Expire after this many days (default: never)")
    Integer expiresInDays;

    @Inject
    TenantService tenants;
    @Inject
    ApiKeyService apiKeys;
    @Inject
    CommandAudit audit;

    @Override
    public Integer call() {
        Tenant tenant = createTenant
                ? tenants.findBySlug(tenantSlug).orElseGet(() -> audit.recorded("tenant.create", "tenant " + tenantSlug,
                        "name " + tenantSlug, () -> tenants.create(tenantSlug, tenantSlug)))
                : tenants.requireBySlug(tenantSlug);
        Set<Scope> granted = EnumSet.noneOf(Scope.class);
        for (String scope : scopes == null ? allScopes() : scopes) {
            Scope parsed = Scope.fromWireName(scope).orElse(null);
            if (parsed == null) {
                spec.commandLine().getErr().println("unknown scope '" + scope + "'; scopes are "
                        + String.join(", ", allScopes()));
                return 2;
            }
            granted.add(parsed);
        }
        Instant expiresAt = expiresInDays == null ? null : Instant.now().plus(Duration.ofDays(expiresInDays));
        String scopeNames = granted.stream().map(Scope::wireName).collect(Collectors.joining(","));
        CreatedApiKey created = audit.recorded("key.create", "tenant " + tenant.slug(), "name " + name + ", scopes "
                        + scopeNames + (expiresAt == null ? "" : ", expires " + expiresAt),
                () -> apiKeys.create(tenant.id(), name, granted, expiresAt));
        spec.commandLine().getErr().println("key " + created.apiKey().id() + " for tenant " + tenant.slug()
                + " with scopes " + scopeNames);
        spec.commandLine().getOut().println(created.secret());
        return 0;
    }

    private static List<String> allScopes() {
        return Arrays.stream(Scope.values()).map(Scope::wireName).toList();
    }
}
