package io.montage.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.montage.jobs.JobIntake;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.jobs.TaskLeases;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;
import io.montage.testing.FakeBundle;
import io.montage.testing.SharedContext;
import io.montage.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The KEDA scalers' queries of deploy/k8s/keda.yaml, run as KEDA runs them: logged in as the scaler role
 * montage_scaler (deploy/local/setup-db.sh creates it here, CloudNativePG's managed roles in a cluster), after
 * deploy/k8s/scaler/grants.sql has been applied with psql as the migration Job applies it, over a real queue.
 */
class KedaQueryTest {

    private static final String SCALER = "montage_scaler";
    private static final String PASSWORD = Objects.requireNonNullElse(System.getenv("MONTAGE_DB_PASSWORD"), "montage");
    private static final String SERVED = "'fashion-clip-mini'";

    private static String url;
    private static Model served;
    private static Model other;

    @BeforeAll
    static void grant() throws Exception {
        url = (String) TestDatabase.properties().get("montage.database.url");
        ModelRegistry registry = SharedContext.bean(ModelRegistry.class);
        served = FakeBundle.registerReady(registry, "keda-served");
        other = FakeBundle.registerReady(registry, "keda-other");
        try (Connection owner = TestDatabase.ownerConnection(); Statement s = owner.createStatement();
             ResultSet role = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + SCALER + "'")) {
            assertTrue(role.next(), "no role " + SCALER + ": run deploy/local/setup-db.sh");
        }
        URI database = URI.create(url.substring("jdbc:".length()));
        Manifests.Result granted = Manifests.run(List.of("psql", "-X", "-q", "-f", "deploy/k8s/scaler/grants.sql"),
                Map.of("PGHOST", database.getHost(), "PGPORT", String.valueOf(database.getPort()),
                        "PGDATABASE", database.getPath().substring(1), "PGUSER", "montage_owner", "PGPASSWORD", PASSWORD));
        assertEquals(0, granted.status(), granted.output());
    }

    @Test
    void theGpuQueryCountsTheUnfinishedTasksOfItsModelsAlone() throws Exception {
        String query = query("montage-worker-gpu");
        assertTrue(query.contains("IN (" + SERVED + ")"), "the query names the model worker-gpu serves: " + query);
        String forServed = query.replace(SERVED, "'" + served.name() + "'");
        String forOther = query.replace(SERVED, "'" + other.name() + "'");
        double servedBefore = scalerValue(forServed);
        double otherBefore = scalerValue(forOther);
        double allBefore = scalerValue(query("montage-worker-cpu"));

        Tenant tenant = SharedContext.newTenant();
        JobIntake intake = SharedContext.bean(JobIntake.class);
        intake.submit(tenant.id(), job(served, 250)); // 3 tasks of at most 100 items
        intake.submit(tenant.id(), job(served, 1));
        intake.submit(tenant.id(), job(other, 1));
        intake.submit(tenant.id(), new NewJob("echo", Priority.BULK, "{}", null, items(1)));

        assertEquals(servedBefore + 4, scalerValue(forServed));
        assertEquals(otherBefore + 1, scalerValue(forOther));
        assertEquals(allBefore + 6, scalerValue(query("montage-worker-cpu")), "the CPU pool counts every task");

        assertEquals(1, SharedContext.bean(TaskLeases.class).claim(UUID.randomUUID(), List.of("embed"),
                List.of(served.id()), 1).size());
        assertEquals(servedBefore + 4, scalerValue(forServed), "a running task still needs its worker");

    }

    @Test
    void theScalerRoleReadsNothingButTheCounts() throws SQLException {
        for (String refused : List.of("SELECT count(*) FROM tasks", "SELECT count(*) FROM tenants",
                "SELECT count(*) FROM items", "SELECT manifest FROM models", "SELECT count(*) FROM api_keys")) {
            SQLException e = assertThrows(SQLException.class, () -> scalerValue(refused), refused);
            assertEquals("42501", e.getSQLState(), refused + ": " + e.getMessage());
        }
    }

    private static NewJob job(Model model, int items) {
        return new NewJob("embed", Priority.BULK, "{}", model.id(), items(items));
    }

    private static List<NewItem> items(int count) {
        return IntStream.range(0, count).mapToObj(i -> new NewItem("i" + i, "{\"text\":\"t\"}")).toList();
    }

    private static String query(String scaledObject) {
        for (JsonNode object : Manifests.yaml(Manifests.read(Manifests.file("deploy/k8s/keda.yaml")))) {
            if (object.at("/kind").asText().equals("ScaledObject")
                    && object.at("/metadata/name").asText().equals(scaledObject)) {
                return object.at("/spec/triggers/0/metadata/query").asText();
            }
        }
        throw new AssertionError("no ScaledObject " + scaledObject);
    }

    /** The query's single value, as KEDA reads it (a number), logged in as the scaler role. */
    private static double scalerValue(String query) throws SQLException {
        try (Connection scaler = DriverManager.getConnection(url, SCALER, PASSWORD);
             Statement s = scaler.createStatement(); ResultSet rows = s.executeQuery(query)) {
            assertTrue(rows.next(), query);
            double value = rows.getDouble(1);
            assertEquals(1, rows.getMetaData().getColumnCount(), query);
            return value;
        }
    }

}
