package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.apikeys.ApiKeyService;
import io.montage.tenants.TenantService;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Lists every tenant, by slug: its id, status, usable keys and creation; a table, or JSON for scripts. */
@Prototype
@Command(name = "list-tenants", mixinStandardHelpOptions = true,
        description = "List the tenants: id, slug, name, status (active/suspended), usable keys, created.")
public class ListTenantsCommand extends ListingCommand<ListTenantsCommand.Listed> {

    /** One tenant as listed; {@code keys} counts its keys that are neither revoked nor expired. */
    @Serdeable
    record Listed(UUID id, String slug, String name, String status, long keys, Instant createdAt) {
    }

    @Inject
    TenantService tenants;
    @Inject
    ApiKeyService apiKeys;

    @Override
    List<Listed> rows() {
        Map<UUID, Long> keys = apiKeys.usableKeysByTenant();
        return tenants.list().stream()
                .map(t -> new Listed(t.id(), t.slug(), t.name(), t.status(), keys.getOrDefault(t.id(), 0L),
                        t.createdAt()))
                .toList();
    }

    @Override
    Table table(List<Listed> rows) {
        Table table = new Table("ID", "SLUG", "NAME", "STATUS", "KEYS", "CREATED");
        rows.forEach(t -> table.row(t.id().toString(), t.slug(), t.name(), t.status(), Long.toString(t.keys()),
                Table.time(t.createdAt(), "")));
        return table;
    }
}
