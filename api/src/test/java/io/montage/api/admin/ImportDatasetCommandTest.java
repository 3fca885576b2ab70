package io.montage.api.admin;

import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.datasets.DatasetClass;
import io.montage.datasets.DatasetSpace;
import io.montage.datasets.Datasets;
import io.montage.datasets.DatasetVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** admin import-dataset: the ready-made MNIST test split, again (the same version), and a refusal; all audited. */
class ImportDatasetCommandTest {

    private final AdminRun admin = new AdminRun();

    @TempDir
    Path dir;

    @Test
    void theMnistTestSplitImportsIntoATenantOnceAndEveryImportIsAudited() {
        String slug = ApiServer.newCaller(java.util.EnumSet.of(Scope.JOBS_READ)).tenant().slug();
        assertEquals(0, admin.execute("import-dataset", "--mnist-test", "--tenant", slug), admin.err());
        assertEquals("mnist-test@v1", admin.out().strip());
        assertTrue(admin.err().startsWith("imported version 1"), admin.err());

        Datasets datasets = ApiServer.bean(Datasets.class);
        var tenant = ApiServer.bean(io.montage.tenants.TenantService.class).requireBySlug(slug);
        var dataset = datasets.find(DatasetSpace.of(tenant.id()), "mnist-test").orElseThrow();
        DatasetVersion version = datasets.versions(dataset).getFirst();
        assertEquals(10_000, version.entryCount());
        List<DatasetClass> classes = datasets.classes(DatasetSpace.of(tenant.id()), version.id());
        assertEquals(IntStream.range(0, 10).mapToObj(Integer::toString).toList(),
                classes.stream().map(DatasetClass::label).toList());
        // MNIST's test split: 980 zeros, 1,135 ones, … (the counts its labels file holds)
        assertEquals(List.of(980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009),
                classes.stream().map(DatasetClass::entryCount).toList());

        assertEquals(0, admin.execute("import-dataset", "--mnist-test", "--tenant", slug));
        assertEquals("mnist-test@v1", admin.out().strip());
        assertTrue(admin.err().startsWith("the same content is version 1"), admin.err());

        List<AuditEntry> logged = ApiServer.bean(AuditLog.class).search(new AuditFilter(CommandAudit.ACTOR,
                "dataset.import", AuditEntry.OK, "tenant " + slug));
        assertEquals(2, logged.size(), logged.toString());
        assertEquals("dataset mnist-test in tenant " + slug, logged.getFirst().target());
        assertEquals("idx t10k-images-idx3-ubyte + t10k-labels-idx1-ubyte", logged.getFirst().detail());
    }

    @Test
    void aFileWithoutUsableEntriesIsRefusedAndTheRefusalAudited() throws IOException {
        Path zip = dir.resolve("junk.zip");
        Files.writeString(zip, "not a zip");
        assertEquals(2, admin.execute("import-dataset", "--zip", zip.toString(), "--name", "junk-cli"));
        assertTrue(admin.err().contains("invalid_dataset_archive"), admin.err());
        AuditEntry entry = ApiServer.bean(AuditLog.class).search(new AuditFilter(CommandAudit.ACTOR,
                "dataset.import", null, "junk-cli")).getFirst();
        assertEquals(List.of(AuditEntry.FAILED, "dataset junk-cli in the shared space"),
                List.of(entry.outcome(), entry.target()));

        assertEquals(2, admin.execute("import-dataset", "--zip", zip.toString()));
        assertTrue(admin.err().contains("dataset_name_required"), admin.err());
    }
}
