package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.apikeys.ApiKeyService;
import io.montage.tenants.TenantService;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/** Lists every tenant, by slug: its id, status, usable keys and creation; a table, or JSON for scripts. */
@Prototype
@Command(name = "list-tenants", mixinStandardHelpOptions = true,
        description = "List the tenants: id, slug, name, status (active/suspended), usable keys, created.")
public class ListTenantsCommand implements Callable<Integer> {

    /** One tenant as listed; {@code keys} counts its keys that are neither revoked nor expired. */
    @Serdeable
    record Listed(UUID id, String slug, String name, String status, long keys, Instant createdAt) {
    }

    @Spec
    CommandSpec spec;

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
        Map<UUID, Long> keys = apiKeys.usableKeysByTenant();
        List<Listed> listed = tenants.list().stream()
                .map(t -> new Listed(t.id(), t.slug(), t.name(), t.status(), keys.getOrDefault(t.id(), 0L),
                        t.createdAt()))
                .toList();
        if (json) {
            spec.commandLine().getOut().println(jsonMapper.writeValueAsString(listed));
            return 0;
        }
        Table table = new Table("ID", "SLUG", "NAME", "STATUS", "KEYS", "CREATED");
        listed.forEach(t -> table.row(t.id().toString(), t.slug(), t.name(), t.status(), Long.toString(t.keys()),
                Table.time(t.createdAt(), "")));
        table.print(spec.commandLine().getOut());
        return 0;
    }
}
