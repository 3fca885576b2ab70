package io.montage.admins;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The admin_users table: only the system role may read or write it. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface AdminUserRepository extends GenericRepository<AdminUser, UUID> {

    AdminUser save(AdminUser user);

    Optional<AdminUser> findByUsername(String username);

    List<AdminUser> listOrderByUsername();

    void update(@Id UUID id, Instant lastLoginAt);

    void update(@Id UUID id, String passwordHash);
}
