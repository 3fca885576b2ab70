package io.montage.tenants;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.montage.apikeys.ApiKeyService;
import io.montage.apikeys.Scope;
import io.montage.db.DataAccessException;
import io.montage.db.Database;
import io.montage.jobs.JobIntake;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tenant isolation is enforced by PostgreSQL, not by remembering a WHERE clause. */
class RowLevelSecurityTest {

    private static Tenant a;
    private static Tenant b;
    private static Database database;

    @BeforeAll
    static void twoTenantsWithData() {
        database = SharedContext.bean(Database.class);
        a = SharedContext.newTenant();
        b = SharedContext.newTenant();
        for (Tenant t : List.of(a, b)) {
            SharedContext.bean(JobIntake.class).submit(t.id(), new NewJob("rls-probe", Priority.BULK, "{}",
                    List.of(new NewItem("x", "{\"n\":1}"), new NewItem("y", "{\"n\":2}"))));
            SharedContext.bean(ApiKeyService.class).create(t.id(), "probe", Set.of(Scope.JOBS_READ), null);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jobs", "tasks", "items", "api_keys", "tenants"})
    void aQueryWithoutWhereSeesOnlyTheCurrentTenantsRows(String table) {
        List<UUID> tenantIds = database.inTenant(a.id(), c -> tenantColumn(c, table));
        assertFalse(tenantIds.isEmpty(), "tenant A has rows in " + table);
        assertTrue(tenantIds.stream().allMatch(a.id()::equals), table + " leaked another tenant's rows: " + tenantIds);
    }

    @Test
    void withoutATenantTheApplicationRoleSeesNothing() throws SQLException {
        // the pool itself, not the repositories' view of it (which has no connection outside a transaction)
        try (Connection c = DelegatingDataSource.unwrapDataSource(SharedContext.bean(DataSource.class)).getConnection()) {
            assertEquals(List.of(), tenantColumn(c, "jobs"));
            c.rollback();
        }
    }

    @Test
    void aTenantCannotWriteRowsForAnotherTenant() {
        DataAccessException e = assertThrows(DataAccessException.class, () -> database.inTenant(a.id(), c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO jobs (tenant_id, type, priority, total_items, total_tasks, expires_at) "
                            + "VALUES (?, 'x', 0, 0, 0, now())")) {
                insert.setObject(1, b.id());
                return insert.executeUpdate();
            }
        }));
        assertTrue(e.getMessage().contains("row-level security"), e.getMessage());
    }

    @Test
    void aTenantCannotUpdateAnotherTenantsRows() {
        int updated = database.inTenant(a.id(), c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE jobs SET type = 'hijacked' WHERE tenant_id = ?")) {
                update.setObject(1, b.id());
                return update.executeUpdate();
            }
        });
        assertEquals(0, updated);
    }

    @Test
    void theApplicationRoleIsNeitherOwnerNorBypass() {
        boolean bypass = database.inTenant(a.id(), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
        assertFalse(bypass);
        boolean owns = database.inTenant(a.id(), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT count(*) > 0 FROM pg_tables WHERE tableowner = current_user AND schemaname = 'public'");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
        assertFalse(owns);
    }

    @Test
    void theSystemRoleSeesEveryTenant() {
        List<UUID> tenantIds = database.asSystem(c -> tenantColumn(c, "jobs"));
        assertTrue(tenantIds.containsAll(List.of(a.id(), b.id())));
    }

    private static List<UUID> tenantColumn(Connection c, String table) throws SQLException {
        String column = table.equals("tenants") ? "id" : "tenant_id";
        try (PreparedStatement select = c.prepareStatement("SELECT " + column + " FROM " + table);
             ResultSet rs = select.executeQuery()) {
            List<UUID> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
            return ids;
        }
    }
}
