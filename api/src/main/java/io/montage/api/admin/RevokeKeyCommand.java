package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.apikeys.ApiKey;
import io.montage.apikeys.ApiKeyFormat;
import io.montage.apikeys.ApiKeyService;
import io.montage.errors.MontageException;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import jakarta.inject.Inject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Revokes a key, found by its prefix (as list-keys shows it, or the whole key, say one found leaked) or by its
 * tenant and id; it stops working on its next request. A prefix that matches no key or more than one revokes
 * nothing.
 */
@Prototype
@Command(name = "revoke-key", mixinStandardHelpOptions = true,
        description = "Revoke an API key, given its prefix (list-keys shows it) or the whole key, or its tenant and id.")
public class RevokeKeyCommand implements Callable<Integer> {

    /** Which key: exactly one of a prefix and a tenant with a key id. */
    static class Which {
        @Parameters(paramLabel = "PREFIX", description = "mtg_live_ and at least " + MIN_PREFIX
                + " of the characters after it, or the whole key")
        String prefix;

        @ArgGroup(exclusive = false)
        ById byId;
    }

    static class ById {
        @Option(names = "--tenant", required = true, description = "The tenant's slug")
        String tenantSlug;

        @Option(names = "--key-id", required = true, description = "The key's id (not the key)")
        UUID keyId;
    }

    /** Fewer characters would too often match several keys (and a typo one other key). */
    static final int MIN_PREFIX = 4;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Inject
    TenantService tenants;
    @Inject
    ApiKeyService apiKeys;
    @Inject
    CommandAudit audit;

    @Override
    public Integer call() {
        if (which.prefix != null) {
            return revokeByPrefix(which.prefix);
        }
        UUID keyId = which.byId.keyId;
        String tenantSlug = which.byId.tenantSlug;
        audit.recorded("key.revoke", "key " + keyId + " of tenant " + tenantSlug, null, () -> {
            Tenant tenant = tenants.requireBySlug(tenantSlug);
            apiKeys.revoke(tenant.id(), keyId);
            return keyId;
        });
        spec.commandLine().getErr().println("revoked " + keyId);
        return 0;
    }

    private int revokeByPrefix(String given) {
        ApiKey key = onlyMatch(given);
        Tenant tenant = tenants.find(key.tenantId()).orElseThrow();
        audit.recorded("key.revoke", "key " + key.id() + " of tenant " + tenant.slug(), "prefix " + key.prefix(),
                () -> {
                    apiKeys.revoke(tenant.id(), key.id());
                    return key.id();
                });
        spec.commandLine().getErr().println("revoked key " + key.prefix() + " (" + key.name() + ", id " + key.id()
                + ") of tenant " + tenant.slug());
        return 0;
    }

    /** The one key {@code given} names, or 400 invalid_key_prefix, 404 api_key_not_found, 409 ambiguous_key_prefix. */
    private ApiKey onlyMatch(String given) {
        String characters = given.startsWith(ApiKeyFormat.PREFIX) ? given.substring(ApiKeyFormat.PREFIX.length())
                : given;
        String lookup = ApiKeyFormat.parse(given).parsed().map(ApiKeyFormat.ParsedKey::lookupPrefix)
                .orElse(characters); // a whole key: its lookup prefix names it
        if (lookup.length() < MIN_PREFIX) {
            throw MontageException.invalid("invalid_key_prefix", "'" + given + "' is too short: give "
                    + ApiKeyFormat.PREFIX + " and at least " + MIN_PREFIX + " characters after it (list-keys shows "
                    + "each key's prefix)");
        }
        List<ApiKey> matches = apiKeys.startingWith(lookup);
        if (matches.isEmpty()) {
            throw MontageException.notFound("api_key_not_found", "no API key starts with "
                    + ApiKeyFormat.PREFIX + lookup);
        }
        if (matches.size() > 1) {
            throw MontageException.conflict("ambiguous_key_prefix", ApiKeyFormat.PREFIX + lookup + " starts "
                    + matches.size() + " keys (" + matches.stream().map(this::describe)
                    .collect(Collectors.joining(", ")) + "): give more of the key; nothing was revoked");
        }
        return matches.getFirst();
    }

    private String describe(ApiKey key) {
        return key.prefix() + " of tenant " + tenants.find(key.tenantId()).map(Tenant::slug).orElse("?");
    }
}
