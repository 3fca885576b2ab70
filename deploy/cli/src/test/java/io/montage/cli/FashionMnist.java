package io.montage.cli;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Real photos for the tests: the first Fashion-MNIST test images (Debian's dataset-fashion-mnist, installed by
 * deploy/local/setup-testdata.sh), written as 28×28 grey PNGs.
 */
final class FashionMnist {

    static final Path IMAGES = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");

    private FashionMnist() {
    }

    /** {@code count} PNGs named {@code fmnist-00000.png}… in the folder. */
    static void writePngs(Path folder, int count) throws IOException {
        Files.createDirectories(folder);
        try (InputStream file = Files.newInputStream(IMAGES);
             DataInputStream in = new DataInputStream(new GZIPInputStream(file))) {
            if (in.readInt() != 0x00000803) {
                throw new IOException(IMAGES + " is not an IDX image file");
            }
            int images = in.readInt();
            int rows = in.readInt();
            int columns = in.readInt();
            byte[] pixels = new byte[rows * columns];
            for (int i = 0; i < Math.min(count, images); i++) {
                in.readFully(pixels);
                BufferedImage image = new BufferedImage(columns, rows, BufferedImage.TYPE_BYTE_GRAY);
                image.getRaster().setDataElements(0, 0, columns, rows, pixels);
                ImageIO.write(image, "png", folder.resolve(String.format("fmnist-%05d.png", i)).toFile());
            }
        }
    }
}
