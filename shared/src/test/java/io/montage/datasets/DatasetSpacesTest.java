package io.montage.datasets;

import io.montage.db.DataAccessException;
import io.montage.db.Database;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spaces under row-level security: tenant A cannot read tenant B's dataset; the shared space is readable in every
 * tenant's transaction (how a tenant's evaluation reads it) and writable by none of them.
 */
class DatasetSpacesTest {

    private static Database database;
    private static Datasets datasets;
    private static DatasetImporter importer;
    private static Tenant a;
    private static Tenant b;

    @TempDir
    static Path dir;
    private static ImportReport ofB;
    private static ImportReport shared;

    @BeforeAll
    static void aDatasetOfBAndASharedOne() throws IOException {
        database = SharedContext.bean(Database.class);
        datasets = SharedContext.bean(Datasets.class);
        importer = SharedContext.bean(DatasetImporter.class);
        a = SharedContext.newTenant();
        b = SharedContext.newTenant();
        Path zip = TestImages.zip(dir, "x.zip", Map.of("k/1.png", TestImages.png(7), "k/2.png", TestImages.png(8)));
        String name = "spaces-" + UUID.randomUUID().toString().substring(0, 8);
        ofB = importer.importInto(DatasetSpace.of(b.id()), name, DatasetKind.CLASSIFICATION, new ClassFolders(zip));
        shared = importer.importInto(DatasetSpace.SHARED, name, DatasetKind.CLASSIFICATION, new ClassFolders(zip));
    }

    private static long rows(UUID tenant, String table, UUID versionId) {
        return database.inTenant(tenant, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT count(*) FROM " + table
                    + " WHERE version_id = ?")) {
                select.setObject(1, versionId);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Test
    void tenantACannotReadTenantBsDataset() {
        UUID version = ofB.version().id();
        assertEquals(2, rows(b.id(), "dataset_entries", version), "B reads its own entries");
        assertEquals(0, rows(a.id(), "dataset_entries", version));
        assertEquals(0, rows(a.id(), "dataset_classes", version));
        assertTrue(datasets.list(DatasetSpace.of(a.id())).isEmpty());
        assertTrue(datasets.find(DatasetSpace.of(a.id()), ofB.dataset().name()).isEmpty());
        assertEquals(List.of(), datasets.samples(DatasetSpace.of(a.id()), version, 10, 5));
        assertTrue(datasets.image(DatasetSpace.of(b.id()), version, 0).isPresent(), "B reads its own image");
        assertTrue(datasets.image(DatasetSpace.of(a.id()), version, 0).isEmpty(), "A cannot read B's image");
        assertEquals(List.of(), datasets.classes(DatasetSpace.of(a.id()), version));
    }

    @Test
    void theSameContentInAnotherSpaceIsAVersionOfItsOwn() {
        assertEquals(ofB.version().contentSha256(), shared.version().contentSha256());
        assertTrue(shared.newVersion());
        assertEquals(null, shared.dataset().tenantId());
    }

    @Test
    void everyTenantReadsTheSharedSpaceAndNoneWritesIt() {
        UUID version = shared.version().id();
        assertEquals(2, rows(a.id(), "dataset_entries", version));
        assertEquals(1, rows(b.id(), "dataset_classes", version));
        assertEquals(List.of(shared.dataset()), datasets.list(DatasetSpace.SHARED).stream()
                .filter(d -> d.id().equals(shared.dataset().id())).toList());
        assertEquals(0, (int) database.inTenant(a.id(), c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE dataset_entries SET label = 'mine' "
                    + "WHERE version_id = ?")) {
                update.setObject(1, version);
                return update.executeUpdate();
            }
        }), "a tenant's update matches no shared row");
        assertEquals(0, (int) database.inTenant(a.id(), c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM datasets WHERE id = ?")) {
                delete.setObject(1, shared.dataset().id());
                return delete.executeUpdate();
            }
        }), "nor its delete");
        DataAccessException insert = assertThrows(DataAccessException.class, () -> database.inTenant(a.id(), c -> {
            try (PreparedStatement add = c.prepareStatement("INSERT INTO datasets (tenant_id, name, kind) "
                    + "VALUES (NULL, 'sneaked-in', 'classification')")) {
                return add.executeUpdate();
            }
        }));
        assertEquals("42501", ((SQLException) insert.getCause()).getSQLState(), "refused by the policy");
        assertEquals(2, rows(b.id(), "dataset_entries", version), "the shared entries are intact");
    }
}
