package io.montage.tenants;

import io.montage.apikeys.ApiKeyService;
import io.montage.apikeys.Scope;
import io.montage.collections.Collection;
import io.montage.collections.Collections;
import io.montage.collections.NewCollectionItem;
import io.montage.db.DataAccessException;
import io.montage.datasets.ClassFolders;
import io.montage.datasets.DatasetImporter;
import io.montage.datasets.DatasetKind;
import io.montage.datasets.DatasetSpace;
import io.montage.db.Database;
import io.montage.db.DatabaseConfig;
import io.montage.evaluation.GatePolicy;
import io.montage.evaluation.promotion.TenantGate;
import io.montage.evaluation.promotion.TenantGates;
import io.montage.evaluation.runs.EvalRuns;
import io.montage.jobs.contracts.EvaluateJob;
import io.montage.jobs.JobIntake;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.quotas.QuotaOverrides;
import io.montage.quotas.Quotas;
import io.montage.testing.FakeBundle;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every tenant-owned table, found in the catalog rather than listed by hand (a table a later migration adds is
 * covered the day it appears): row-level security enabled, forced and keyed on the current tenant, and per table,
 * tenant B's rows invisible to tenant A, and neither changeable, deletable nor creatable by A. The security-definer
 * search functions, which bypass row-level security, answer nothing about another tenant's collection.
 */
class TenantTablesIsolationTest {

    /**
     * Tables that hold no tenant's data: the model registry, worker nodes and the items they finished per minute (all
     * tenants' together), console operators, the audit log, Flyway's history.
     */
    private static final Set<String> PLATFORM_TABLES = Set.of("models", "workers", "throughput", "admin_users",
            "audit_log", "flyway_schema_history");
    /**
     * Tables whose rows of the shared space (tenant_id NULL) every tenant may read (ADR 0013): a second, read-only
     * policy for those rows, besides the tenant one.
     */
    private static final Set<String> SHARED_SPACE_READABLE = Set.of("datasets", "dataset_versions",
            "dataset_entries", "dataset_classes");
    private static final String QUERY = "[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8]";

    private static Database database;
    private static Tenant a;
    private static Tenant b;
    private static Model model;
    private static Collection collectionOfB;

    @BeforeAll
    static void twoTenantsWithRowsInEveryTable() throws Exception {
        database = SharedContext.bean(Database.class);
        model = FakeBundle.registerReady(SharedContext.bean(ModelRegistry.class), "rls");
        a = SharedContext.newTenant();
        b = SharedContext.newTenant();
        Collections collections = SharedContext.bean(Collections.class);
        for (Tenant t : List.of(a, b)) {
            SharedContext.bean(ApiKeyService.class).create(t.id(), "probe", Set.of(Scope.JOBS_READ), null);
            SharedContext.bean(JobIntake.class).submit(t.id(), new NewJob("rls-probe", Priority.BULK, "{}",
                    List.of(new NewItem("x", "{\"n\":1}"))));
            SharedContext.bean(Quotas.class).set(t.id(), new QuotaOverrides(null, 5, null, null, null));
            database.inTenant(t.id(), c -> {
                Quotas quotas = SharedContext.bean(Quotas.class);
                quotas.recordItems(c, t.id(), 1);
                return null;
            });
            Collection collection = collections.create(t.id(), "shared-name", model);
            collections.upsert(t.id(), collection.id(), model.id(), List.of(new NewCollectionItem("item", "{\"k\":1}",
                    null, null, null, new float[]{1, 0, 0, 0, 0, 0, 0, 0})));
            if (t == b) {
                collectionOfB = collection;
            }
            Path images = Files.createTempFile("rls", ".zip");
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(images))) {
                zip.putNextEntry(new ZipEntry("class/one.gif"));
                zip.write(Base64.getDecoder().decode("R0lGODlhAQABAAAAACwAAAAAAQABAAACAkQBADs="));
            }
            SharedContext.bean(DatasetImporter.class).importInto(DatasetSpace.of(t.id()), "rls-probe",
                    DatasetKind.CLASSIFICATION, new ClassFolders(images));
            SharedContext.bean(TenantGates.class).set(t.id(), new TenantGate(true, "rls-probe", false,
                    GatePolicy.DEFAULT, false));
            // an evaluation run of the dataset: eval_runs and eval_run_models rows (and its job, never run here)
            SharedContext.bean(EvalRuns.class).start(t.id(), "rls-probe", null, EvaluateJob.ZERO_SHOT, List.of(model),
                    null);
        }
    }

    /** Every table of the public schema with the column that names its tenant. */
    static Map<String, String> tenantTables() {
        return database().asSystem(c -> {
            Map<String, String> tables = new TreeMap<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT c.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid "
                            + "AND a.attname = 'tenant_id' AND NOT a.attisdropped) "
                            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                            + "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals("tenants")) {
                        tables.put("tenants", "id");
                    } else if (rs.getBoolean(2)) {
                        tables.put(rs.getString(1), "tenant_id");
                    }
                }
            }
            return tables;
        });
    }

    static Stream<String> tenantTableNames() {
        return tenantTables().keySet().stream();
    }

    private static Database database() {
        return SharedContext.bean(Database.class);
    }

    @Test
    void everyTableEitherBelongsToATenantOrIsKnownPlatformData() {
        Set<String> all = database.asSystem(c -> {
            Set<String> names = new TreeSet<>();
            try (PreparedStatement select = c.prepareStatement("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        });
        Set<String> unclassified = new TreeSet<>(all);
        unclassified.removeAll(tenantTables().keySet());
        unclassified.removeAll(PLATFORM_TABLES);
        assertEquals(Set.of(), unclassified, "a table without tenant_id holds tenant data, or belongs in PLATFORM_TABLES");
        assertTrue(tenantTables().keySet().containsAll(List.of("tenants", "api_keys", "jobs", "tasks", "items",
                "collections", "collection_items")), tenantTables().toString());
    }

    @ParameterizedTest
    @MethodSource("tenantTableNames")
    void rowLevelSecurityIsEnabledForcedAndKeyedOnTheCurrentTenant(String table) {
        String column = tenantTables().get(table);
        database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = ?::regclass")) {
                select.setString(1, table);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    assertTrue(rs.getBoolean(1), table + ": row-level security enabled");
                    assertTrue(rs.getBoolean(2), table + ": row-level security forced (binds the owner too)");
                }
            }
            List<String> policies = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT polcmd, polpermissive, pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid) "
                            + "FROM pg_policy WHERE polrelid = ?::regclass")) {
                select.setString(1, table);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        String using = rs.getString(3);
                        String check = rs.getString(4);
                        if (SHARED_SPACE_READABLE.contains(table) && "r".equals(rs.getString(1))
                                && rs.getBoolean(2) && "(tenant_id IS NULL)".equals(using) && check == null) {
                            continue; // the shared space's rows, read-only
                        }
                        policies.add(rs.getString(1) + " " + using + " " + check);
                        assertEquals("(" + column + " = montage_current_tenant())", using, table + ": policy USING");
                        assertTrue(check == null || check.equals(using), table + ": policy WITH CHECK " + check);
                    }
                }
            }
            assertEquals(1, policies.size(), table + ": one policy for every command: " + policies);
            assertTrue(policies.getFirst().startsWith("* "), table + ": the policy covers every command: " + policies);
            return null;
        });
    }

    @ParameterizedTest
    @MethodSource("tenantTableNames")
    void anotherTenantsRowsAreInvisible(String table) {
        String column = tenantTables().get(table);
        assertTrue(count(table, column, b.id(), null) > 0, "tenant B has rows in " + table + ": seed it above");
        assertEquals(0, count(table, column, b.id(), a.id()), table + ": B's rows seen by A");
        assertTrue(count(table, column, a.id(), a.id()) > 0, table + ": A sees its own rows");
    }

    @ParameterizedTest
    @MethodSource("tenantTableNames")
    void anotherTenantsRowsCannotBeChangedOrDeleted(String table) {
        String column = tenantTables().get(table);
        long before = count(table, column, b.id(), null);
        assertEquals(0, rowsTouchedByA("UPDATE " + table + " SET " + column + " = " + column + " WHERE " + column
                + " = ?"), table + ": update");
        assertEquals(0, rowsTouchedByA("DELETE FROM " + table + " WHERE " + column + " = ?"), table + ": delete");
        assertEquals(before, count(table, column, b.id(), null), table + ": B's rows intact");
    }

    /**
     * Rows tenant A's statement (about B's rows) changed: 0 when the policy hides them; a statement the app role
     * holds no privilege for at all (quotas are read-only to tenants) touches none either.
     */
    private int rowsTouchedByA(String sql) {
        try {
            return database.inTenant(a.id(), c -> {
                try (PreparedStatement statement = c.prepareStatement(sql)) {
                    statement.setObject(1, b.id());
                    return statement.executeUpdate();
                }
            });
        } catch (DataAccessException e) {
            assertEquals("42501", ((SQLException) e.getCause()).getSQLState(), sql + ": " + e.getMessage());
            return 0;
        }
    }

    @ParameterizedTest
    @MethodSource("tenantTableNames")
    void noRowCanBeWrittenForAnotherTenant(String table) {
        String column = tenantTables().get(table);
        String rowOfB = database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT row_to_json(t)::text FROM " + table + " t WHERE " + column + " = ? LIMIT 1")) {
                select.setObject(1, b.id());
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertRefusedByPolicy(table + ": inserting a copy of B's row", c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " OVERRIDING SYSTEM VALUE "
                    + "SELECT * FROM json_populate_record(NULL::" + table + ", ?::json)")) {
                insert.setString(1, rowOfB);
                insert.executeUpdate();
            }
        });
        assertRefusedByPolicy(table + ": handing A's row to B", c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE " + table + " SET " + column + " = ? WHERE " + column + " = ?")) {
                update.setObject(1, b.id());
                update.setObject(2, a.id());
                update.executeUpdate();
            }
        });
    }

    @Test
    void theSecurityDefinerFunctionsAreKnown() {
        Set<String> definers = database.asSystem(c -> {
            Set<String> names = new TreeSet<>();
            try (PreparedStatement select = c.prepareStatement("SELECT p.proname FROM pg_proc p JOIN pg_namespace n "
                    + "ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.prosecdef");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        });
        assertEquals(Set.of("montage_claim_tasks", "montage_filter_estimate", "montage_filtered_nearest",
                "montage_queue_overview"), definers,
                "a new SECURITY DEFINER function bypasses row-level security: prove its isolation here");
    }

    /**
     * The worker's claim works across tenants by design, as the system role; the function lets the application do
     * nothing it could not before: only the app role may call it, and the app role may enter the system role anyway (SET ROLE: a member, not inheriting)
     * (that is how {@link Database#asSystem} works). No other role may call it.
     */
    @Test
    void theClaimFunctionGivesTheAppRoleNothingNew() {
        DatabaseConfig config = SharedContext.bean(DatabaseConfig.class);
        String signature = "montage_claim_tasks(integer, text[], uuid[], uuid[], uuid, double precision, bigint, "
                + "integer, integer, boolean)";
        database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT pg_has_role(?, ?, 'MEMBER'), "
                    + "has_function_privilege(?, '" + signature + "', 'EXECUTE'), "
                    + "(SELECT count(*) FROM pg_proc p, aclexplode(p.proacl) a WHERE p.proname = 'montage_claim_tasks' "
                    + "AND a.grantee = 0)")) {
                select.setString(1, config.user());
                select.setString(2, config.systemRole());
                select.setString(3, config.user());
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    assertTrue(rs.getBoolean(1), "the app role may enter the system role");
                    assertTrue(rs.getBoolean(2), "the app role may call the claim");
                    assertEquals(0, rs.getLong(3), "PUBLIC may not");
                }
            }
            return null;
        });
    }

    /**
     * The operators' queue overview counts every tenant's tasks (forced RLS hides them even from the owner role), so
     * it is the owner's alone: neither the application's role nor PUBLIC may call it, and it returns counts only.
     */
    @Test
    void theQueueOverviewIsTheOwnersAlone() {
        DatabaseConfig config = SharedContext.bean(DatabaseConfig.class);
        database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT has_function_privilege(?, "
                    + "'montage_queue_overview()', 'EXECUTE'), (SELECT count(*) FROM pg_proc p, aclexplode(p.proacl) a "
                    + "WHERE p.proname = 'montage_queue_overview' AND a.grantee = 0)")) {
                select.setString(1, config.user());
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    assertFalse(rs.getBoolean(1), "the app role may not call the overview");
                    assertEquals(0, rs.getLong(2), "PUBLIC may not");
                }
            }
            return null;
        });
    }

    @Test
    void theFilteredSearchFunctionFindsNothingInAnotherTenantsCollection() {
        assertEquals(1, nearest(b.id(), collectionOfB), "B finds its own item");
        assertEquals(0, nearest(a.id(), collectionOfB), "A finds nothing in B's collection");
        assertEquals(0, (long) database.asSystem(c -> nearest(c, collectionOfB)), "no tenant set: nothing");
    }

    @Test
    void theFilterEstimateRevealsNothingAboutAnotherTenantsCollection() {
        assertTrue(estimate(b.id(), collectionOfB.id()) >= 1, "B gets an estimate for its own collection");
        assertEquals(0, estimate(a.id(), collectionOfB.id()), "A learns nothing about B's collection");
        assertEquals(0, estimate(a.id(), UUID.randomUUID()), "the same answer as for no collection at all");
    }

    private long nearest(UUID tenantId, Collection collection) {
        return database.inTenant(tenantId, c -> nearest(c, collection));
    }

    private static long nearest(Connection c, Collection collection) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT count(*) FROM montage_filtered_nearest(?, ?, '$.k == 1'::jsonpath, ?::halfvec, 10)")) {
            select.setObject(1, collection.id());
            select.setObject(2, collection.modelId());
            select.setString(3, QUERY);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long estimate(UUID tenantId, UUID collectionId) {
        return database.inTenant(tenantId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT montage_filter_estimate(?, '$.k == 1'::jsonpath)")) {
                select.setObject(1, collectionId);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Rows of {@code owner} in {@code table}, as {@code viewer} sees them (null: the system role, which sees all). */
    private long count(String table, String column, UUID owner, UUID viewer) {
        String sql = "SELECT count(*) FROM " + table + " WHERE " + column + " = ?";
        return viewer == null ? database.asSystem(c -> countRows(c, sql, owner))
                : database.inTenant(viewer, c -> countRows(c, sql, owner));
    }

    private static long countRows(Connection c, String sql, UUID owner) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setObject(1, owner);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @FunctionalInterface
    private interface Write {
        void run(Connection c) throws SQLException;
    }

    /** The write, as tenant A, fails on the row-level security policy (SQLState 42501), not on anything else. */
    private void assertRefusedByPolicy(String what, Write write) {
        DataAccessException e = assertThrows(DataAccessException.class, () -> database.inTenant(a.id(), c -> {
            write.run(c);
            return null;
        }), what);
        SQLException sql = (SQLException) e.getCause();
        assertEquals("42501", sql.getSQLState(), what + ": " + sql.getMessage());
        assertFalse(sql.getMessage().isBlank());
    }
}
