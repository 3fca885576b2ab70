package io.montage.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/compose/docker-compose.yml checked offline, as far as `docker compose config` would (no Docker here):
 * against the compose-spec schema, then what the schema cannot see (references between services, volumes, files
 * and Dockerfile targets), then what Montage needs of it.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Manifests.file("deploy/compose/docker-compose.yml");
    private static final Schema SCHEMA = composeSpec();
    private final JsonNode compose = Manifests.yaml(Manifests.read(COMPOSE)).getFirst();
    private final JsonNode services = compose.get("services");

    @Test
    void theComposeSpecSchemaAcceptsIt() {
        List<Error> errors = SCHEMA.validate(compose);
        assertEquals(List.of(), errors.stream().map(Error::toString).toList());
    }

    @Test
    void theSchemaRefusesAMistake() {
        JsonNode broken = compose.deepCopy();
        ((ObjectNode) broken.get("services").get("api")).put("helthcheck", "typo");
        assertFalse(SCHEMA.validate(broken).isEmpty(), "a misspelt key must fail, or the first test proves nothing");
    }

    @Test
    void everyReferenceResolves() {
        Set<String> wrong = new TreeSet<>();
        Set<String> volumes = names(compose.get("volumes"));
        Set<String> targets = dockerfileTargets();
        for (var service : services.properties()) {
            String name = service.getKey();
            JsonNode definition = service.getValue();
            for (String dependency : names(definition.get("depends_on"))) {
                if (!services.has(dependency)) {
                    wrong.add(name + " depends on " + dependency + ", which is no service");
                }
            }
            for (JsonNode mount : Manifests.elements(definition.get("volumes"))) {
                String source = mount.asText().split(":")[0];
                if (source.startsWith(".")) {
                    if (!Files.exists(COMPOSE.resolveSibling(source))) {
                        wrong.add(name + " mounts " + source + ", which does not exist");
                    }
                } else if (!volumes.contains(source)) {
                    wrong.add(name + " mounts volume " + source + ", which is not declared");
                }
            }
            JsonNode build = definition.get("build");
            if (build != null) {
                Path context = COMPOSE.resolveSibling(build.get("context").asText()).normalize();
                if (!Files.isRegularFile(context.resolve(build.get("dockerfile").asText()))) {
                    wrong.add(name + " builds from a Dockerfile that does not exist");
                }
                if (!targets.contains(build.get("target").asText())) {
                    wrong.add(name + " builds target " + build.get("target").asText() + ", not in " + targets);
                }
            }
        }
        assertEquals(Set.of(), wrong);
    }

    @Test
    void migrationsRunOnceBeforeEveryService() {
        JsonNode migrate = services.get("migrate");
        assertEquals("[\"admin\",\"migrate\"]", migrate.get("command").toString());
        assertEquals("service_healthy", migrate.at("/depends_on/postgres/condition").asText());
        for (String name : List.of("api", "worker", "console")) {
            JsonNode service = services.get(name);
            assertEquals("service_completed_successfully", service.at("/depends_on/migrate/condition").asText(), name);
            assertEquals("false", service.at("/environment/MONTAGE_DATABASE_MIGRATE_ON_START").asText(), name);
        }
    }

    @Test
    void everyLongRunningServiceHasAHealthCheckOnItsRealEndpoint() {
        assertTrue(services.at("/postgres/healthcheck/test").toString().contains("pg_isready"));
        assertTrue(services.at("/api/healthcheck/test").toString().contains("http://127.0.0.1:8080/ready"));
        assertTrue(services.at("/worker/healthcheck/test").toString().contains("http://127.0.0.1:8086/-/healthy"));
        assertTrue(services.at("/console/healthcheck/test").toString().contains("http://127.0.0.1:8081/login"));
    }

    @Test
    void workersScaleBecauseNothingAboutThemIsUnique() {
        JsonNode worker = services.get("worker");
        assertFalse(worker.has("container_name"), "--scale worker=N needs distinct container names");
        assertFalse(worker.has("ports"), "N workers cannot publish one host port");
        assertTrue(services.at("/console/ports/0").asText().startsWith("127.0.0.1:"), "the console stays on the host");
    }

    @Test
    void everyMontageVariableIsOneThePlatformReads() {
        Set<String> documented = Manifests.documentedVariables();
        Set<String> unknown = new TreeSet<>();
        for (var service : services.properties()) {
            for (String variable : names(service.getValue().get("environment"))) {
                if (variable.startsWith("MONTAGE_") && !documented.contains(variable)) {
                    unknown.add(service.getKey() + ": " + variable);
                }
            }
        }
        assertEquals(Set.of(), unknown, "set in the compose file but not in docs/operations.md");
    }

    /** The schema's own $id is relative (compose_spec.json): it is loaded from its classpath location instead. */
    private static Schema composeSpec() {
        return SchemaRegistry.withDefaultDialect(Dialects.getDraft7())
                .getSchema(SchemaLocation.of("classpath:schemas/compose-spec.json"));
    }

    private static Set<String> dockerfileTargets() {
        Matcher from = Pattern.compile("(?m)^FROM \\S+ AS (\\S+)$")
                .matcher(Manifests.read(Manifests.file("deploy/compose/Dockerfile")));
        Set<String> targets = new TreeSet<>();
        while (from.find()) {
            targets.add(from.group(1));
        }
        return targets;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        if (object != null) {
            object.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }
}
