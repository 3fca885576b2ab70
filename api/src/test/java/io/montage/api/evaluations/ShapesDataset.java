package io.montage.api.evaluations;

import io.montage.api.ApiServer;
import io.montage.datasets.ClassFolders;
import io.montage.datasets.DatasetImporter;
import io.montage.datasets.DatasetKind;
import io.montage.datasets.DatasetSpace;
import io.montage.datasets.ImportReport;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** A tiny classification dataset ("shapes": 3 PNGs of each of two classes) imported into a tenant's space. */
public final class ShapesDataset {

    public static final String NAME = "shapes";

    private ShapesDataset() {
    }

    public static ImportReport importInto(UUID tenantId, Path dir) throws IOException {
        for (String label : List.of("circle", "square")) {
            Files.createDirectories(dir.resolve(label));
            for (int i = 0; i < 3; i++) {
                BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                image.setRGB(i, label.length(), 0xFFFFFF);
                ImageIO.write(image, "png", dir.resolve(label).resolve(i + ".png").toFile());
            }
        }
        return ApiServer.bean(DatasetImporter.class).importInto(DatasetSpace.of(tenantId), NAME,
                DatasetKind.CLASSIFICATION, new ClassFolders(dir));
    }
}
