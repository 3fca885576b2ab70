package io.montage.tenants;

import io.montage.db.Database;
import io.montage.errors.MontageException;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Creating and finding tenants: administration, so it runs as the system role. */
@Singleton
public class TenantService {

    private static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");
    private static final String COLUMNS = "id, slug, name, status, created_at";

    private final Database database;

    public TenantService(Database database) {
        this.database = database;
    }

    public Tenant create(String slug, String name) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw MontageException.invalid("invalid_tenant_slug",
                    "slug must be 2-63 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw MontageException.invalid("invalid_tenant_name", "name must be 1-200 characters");
        }
        return database.asSystem(c -> {
            if (findBySlug(c, slug).isPresent()) {
                throw MontageException.conflict("tenant_exists", "a tenant with slug '" + slug + "' exists");
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO tenants (slug, name) VALUES (?, ?) RETURNING " + COLUMNS)) {
                insert.setString(1, slug);
                insert.setString(2, name);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    return read(rs);
                }
            }
        });
    }

    public Optional<Tenant> findBySlug(String slug) {
        return database.asSystem(c -> findBySlug(c, slug));
    }

    /** The tenant with this slug, or 404 tenant_not_found. */
    public Tenant requireBySlug(String slug) {
        return findBySlug(slug).orElseThrow(() -> MontageException.notFound("tenant_not_found", "no tenant '" + slug + "'"));
    }

    public Optional<Tenant> find(UUID id) {
        return database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM tenants WHERE id = ?")) {
                select.setObject(1, id);
                return readOne(select);
            }
        });
    }

    public List<Tenant> list() {
        return database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM tenants ORDER BY slug");
                 ResultSet rs = select.executeQuery()) {
                List<Tenant> tenants = new ArrayList<>();
                while (rs.next()) {
                    tenants.add(read(rs));
                }
                return tenants;
            }
        });
    }

    private static Optional<Tenant> findBySlug(Connection c, String slug) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM tenants WHERE slug = ?")) {
            select.setString(1, slug);
            return readOne(select);
        }
    }

    private static Optional<Tenant> readOne(PreparedStatement select) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    private static Tenant read(ResultSet rs) throws SQLException {
        return new Tenant(rs.getObject("id", UUID.class), rs.getString("slug"), rs.getString("name"),
                rs.getString("status"), rs.getTimestamp("created_at").toInstant());
    }
}
