package io.montage.evaluation.promotion;

import io.montage.datasets.ClassFolders;
import io.montage.datasets.DatasetImporter;
import io.montage.datasets.DatasetKind;
import io.montage.datasets.DatasetSpace;
import io.montage.errors.MontageException;
import io.montage.evaluation.GateMetric;
import io.montage.evaluation.GatePolicy;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A tenant's gate settings in PostgreSQL: none means off, what is stored reads back the same, a dataset that does
 * not exist in the chosen space and a margin finer than the column's are refused, and another tenant sees nothing.
 */
class TenantGatesTest {

    private final TenantGates gates = SharedContext.bean(TenantGates.class);

    @Test
    void storedSettingsReadBackAndBadOnesAreRefused() throws Exception {
        Tenant tenant = SharedContext.newTenant();
        assertEquals(Optional.empty(), gates.of(tenant.id()), "no row: the gate is off");
        MontageException missing = assertThrows(MontageException.class, () -> gates.set(tenant.id(),
                new TenantGate(true, "nowhere", false, GatePolicy.DEFAULT, false)));
        assertEquals("gate_dataset_not_found", missing.code());

        Path folders = Files.createTempDirectory("gate");
        Files.createDirectories(folders.resolve("dot"));
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", folders.resolve("dot/a.png").toFile());
        SharedContext.bean(DatasetImporter.class).importInto(DatasetSpace.of(tenant.id()), "gate-set",
                DatasetKind.CLASSIFICATION, new ClassFolders(folders));
        TenantGate gate = new TenantGate(true, "gate-set", false, new GatePolicy(GateMetric.MACRO_F1, -0.0125), true);
        gates.set(tenant.id(), gate);
        assertEquals(Optional.of(gate), gates.of(tenant.id()));
        assertEquals("gate_dataset_not_found", assertThrows(MontageException.class, () -> gates.set(tenant.id(),
                new TenantGate(true, "gate-set", true, GatePolicy.DEFAULT, false))).code(), "not in the shared space");
        assertEquals("invalid_gate_policy", assertThrows(MontageException.class, () -> gates.set(tenant.id(),
                new TenantGate(true, "gate-set", false, new GatePolicy(GateMetric.MACRO_F1, 0.000001), false))).code());
        assertEquals(Optional.of(gate), gates.of(tenant.id()), "a refused change leaves the gate as it was");
        assertEquals(Optional.empty(), gates.of(SharedContext.newTenant().id()), "row-level security");
    }
}
