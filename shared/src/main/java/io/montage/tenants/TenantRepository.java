package io.montage.tenants;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The tenants table. Only inside {@code Database.asSystem}: a tenant's own transaction sees only itself. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface TenantRepository extends GenericRepository<Tenant, UUID> {

    Tenant save(Tenant tenant);

    Optional<Tenant> findById(UUID id);

    Optional<Tenant> findBySlug(String slug);

    List<Tenant> listOrderBySlug();

    long update(@Id UUID id, String status);
}
