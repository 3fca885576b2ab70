package io.montage.tenants;

import io.montage.db.Database;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Micronaut Data repositories share {@link Database}'s transactions and nothing else: inside a tenant's they see
 * only that tenant (row-level security), and outside any they refuse to run rather than quietly open a connection
 * of their own, which would see no tenant's rows and commit nothing.
 */
class RepositoriesNeedATransactionTest {

    private final TenantRepository repository = SharedContext.bean(TenantRepository.class);
    private final Database database = SharedContext.bean(Database.class);

    @Test
    void aRepositoryCallOutsideATransactionFailsLoudly() {
        SharedContext.newTenant();
        var e = assertThrows(io.micronaut.data.exceptions.DataAccessException.class, repository::listOrderBySlug);
        assertTrue(e.getMessage().contains("Connection is required"), e.getMessage());
    }

    @Test
    void insideATenantsTransactionARepositorySeesThatTenantOnly() {
        Tenant a = SharedContext.newTenant();
        SharedContext.newTenant();
        assertEquals(List.of(a.id()), database.inTenant(a.id(), c -> repository.listOrderBySlug()).stream()
                .map(Tenant::id).toList());
        assertTrue(database.asSystem(c -> repository.listOrderBySlug()).size() >= 2, "the system role sees all");
    }

    @Test
    void aRepositoryWriteCommitsOrRollsBackWithItsTransaction() {
        Tenant a = SharedContext.newTenant();
        assertThrows(IllegalStateException.class, () -> database.asSystem(c -> {
            repository.update(a.id(), Tenant.SUSPENDED);
            throw new IllegalStateException("the unit of work fails after the write");
        }));
        assertEquals(Tenant.ACTIVE, database.asSystem(c -> repository.findById(a.id()).orElseThrow().status()));
    }
}
